import Alert from '@cloudscape-design/components/alert';
import { ApiProblem } from '../api/client';
import { problemMessages } from '../i18n/problem-messages';
import { useMessages } from '../i18n/locale';

/**
 * A failed request in the page's words: what the status means, then the API's own detail. Field
 * errors are shown beside their fields (`fieldError`) and summed up here.
 */
export function ProblemAlert({ error, header }: { error: unknown; header?: string }) {
  const t = useMessages(problemMessages);
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error : undefined;
  const hasFieldErrors = !!(problem?.problem as { errors?: unknown[] } | undefined)?.errors?.length;
  // A refusal that names fields reads the same whatever its status: see the fields.
  const status = hasFieldErrors ? 422 : problem?.status;
  const meaning =
    status === undefined ? t('network') : (String(status) as keyof typeof problemMessages.en) in problemMessages.en
      ? t(String(status) as keyof typeof problemMessages.en)
      : t(status >= 500 ? '500' : 'other');
  return (
    <Alert type="error" header={header ?? meaning} statusIconAriaLabel="Error">
      {header ? `${meaning} ` : ''}
      {problem?.problem.detail ?? (error instanceof Error && !problem ? error.message : '')}
      {hasFieldErrors ? ` ${t('fieldsBelow')}` : ''}
    </Alert>
  );
}

/** The API's message for a field, for a FormField's `errorText`. */
export function fieldError(error: unknown, path: string, nested = false): string | undefined {
  return error instanceof ApiProblem ? error.fieldError(path, nested) : undefined;
}
