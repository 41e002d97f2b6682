import Header from '@cloudscape-design/components/header';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Container from '@cloudscape-design/components/container';
import { useMe } from '../../api/api-context';

export default function HomePage() {
  const me = useMe();
  return (
    <ContentLayout header={<Header variant="h1">Switchboard</Header>}>
      <Container>{me.data?.tenant.name}</Container>
    </ContentLayout>
  );
}
