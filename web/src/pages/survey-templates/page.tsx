import { useRouter } from '../../app/router';
import { TemplateEditor } from './editor';
import { TemplateList } from './list';

/** Survey templates: the list at /survey-templates, the editor at /survey-templates/new and /survey-templates/<templateId>. */
export default function SurveyTemplatesPage() {
  const { path, query } = useRouter();
  const rest = path.replace(/^\/survey-templates\/?/, '');
  if (rest === '') return <TemplateList />;
  if (rest === 'new') return <TemplateEditor />;
  const version = Number(query.get('version'));
  return <TemplateEditor templateId={decodeURIComponent(rest)} version={Number.isInteger(version) && version > 0 ? version : undefined} />;
}
