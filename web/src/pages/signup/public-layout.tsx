import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ReactNode } from 'react';
import { type Locale, useLocale } from '../../i18n/locale';

/** The frame of the pages a business sees before it has an account: no navigation, a language switch. */
export function PublicLayout({ title, description, languageLabel, children }: { title: string; description?: string; languageLabel: string; children: ReactNode }) {
  const { locale, setLocale } = useLocale();
  return (
    <main>
      <Box padding={{ vertical: 'xxl', horizontal: 'l' }}>
        <div style={{ maxWidth: 640, margin: '0 auto' }}>
          <SpaceBetween size="l">
            <Box float="right">
              <SegmentedControl
                label={languageLabel}
                selectedId={locale}
                onChange={(event) => setLocale(event.detail.selectedId as Locale)}
                options={[
                  { id: 'en', text: 'English' },
                  { id: 'zh-TW', text: '繁體中文' },
                ]}
              />
            </Box>
            <Container header={<Header variant="h1" description={description}>{title}</Header>}>{children}</Container>
          </SpaceBetween>
        </div>
      </Box>
    </main>
  );
}
