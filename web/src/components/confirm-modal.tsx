import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { ProblemAlert } from './problem';

/**
 * Asks before an action that cannot be taken back (delete, revoke, deactivate): what it does, a
 * cancel and a confirm button, and the API's refusal inside the dialog when the action fails.
 */
export function ConfirmModal(props: {
  header: string;
  text: string;
  confirmLabel: string;
  cancelLabel: string;
  busy: boolean;
  error: unknown;
  onConfirm(): void;
  onClose(): void;
}) {
  return (
    <Modal
      visible
      header={props.header}
      onDismiss={props.onClose}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={props.onClose}>
              {props.cancelLabel}
            </Button>
            <Button variant="primary" loading={props.busy} onClick={props.onConfirm}>
              {props.confirmLabel}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box variant="p">{props.text}</Box>
        <ProblemAlert error={props.error} />
      </SpaceBetween>
    </Modal>
  );
}
