import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';

export interface SecretShownOnceLabels {
  title: string;
  warning: string;
  secret: string;
  copy: string;
  copied: string;
  copyFailed: string;
  done: string;
}

/**
 * A secret the API shows in one answer only (an API key, a webhook signing secret): a warning
 * that it will not be shown again, the text to select, and a copy button. Closing it forgets it.
 */
export function SecretShownOnce({ secret, labels, onDone }: { secret: string; labels: SecretShownOnceLabels; onDone(): void }) {
  return (
    <Modal
      visible
      header={labels.title}
      onDismiss={onDone}
      footer={
        <Box float="right">
          <Button variant="primary" onClick={onDone}>{labels.done}</Button>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Alert type="warning" statusIconAriaLabel="Warning">{labels.warning}</Alert>
        <div>
          <Box variant="awsui-key-label">{labels.secret}</Box>
          <Box variant="code" data-testid="shown-once-secret">
            <span style={{ wordBreak: 'break-all', userSelect: 'all' }}>{secret}</span>
          </Box>
        </div>
        <CopyToClipboard
          variant="button"
          textToCopy={secret}
          copyButtonText={labels.copy}
          copySuccessText={labels.copied}
          copyErrorText={labels.copyFailed}
        />
      </SpaceBetween>
    </Modal>
  );
}
