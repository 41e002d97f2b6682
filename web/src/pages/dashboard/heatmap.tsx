import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import type { Schemas } from '../../api/client';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import './heatmap.css';
import { dashboardMessages } from './messages';

type Heatmap = Schemas['Heatmap'];
type Weekday = Heatmap['cells'][number]['weekday'];

const weekdays: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const hours = Array.from({ length: 24 }, (_, hour) => hour);
const levels = 5;

/** 0 for an hour without contacts, else 1 … 5 by its share of the busiest hour. */
export const heatLevel = (value: number, busiest: number): number => (value <= 0 || busiest <= 0 ? 0 : Math.max(1, Math.ceil((value / busiest) * levels)));

/**
 * Average contacts offered per weekday and hour as a table: every number is written in its
 * cell (colour only repeats it), with the weekday and hour as row and column headers.
 */
export function BusyHours({ data, loading, error, timezone }: { data: Heatmap | undefined; loading: boolean; error: unknown; timezone: string }) {
  const t = useMessages(dashboardMessages);
  const format = useFormat();
  const average = (value: number | null) => format.number(value ?? 0, { maximumFractionDigits: 1 });
  const cells = new Map((data?.cells ?? []).map((cell) => [`${cell.weekday}-${cell.hour}`, cell]));
  const busiest = Math.max(0, ...(data?.cells ?? []).map((cell) => cell.averageOffered ?? 0));
  // The period ends at an exclusive instant: the last day shown is the one before it.
  const lastDay = data ? new Date(Date.parse(data.period.to) - 1).toISOString() : undefined;
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={data && lastDay ? t('heatmapDescription', { from: format.date(data.period.from, timezone), to: format.date(lastDay, timezone) }) : undefined}
        >
          {t('heatmap')}
        </Header>
      }
    >
      {error ? (
        <ProblemAlert error={error} />
      ) : !data ? (
        loading && <Spinner size="large" />
      ) : (
        <SpaceBetween size="s">
          {busiest === 0 && <Box color="text-body-secondary">{t('heatmapEmpty')}</Box>}
          <div className="sb-heatmap-scroll" role="region" aria-label={t('heatmapCaption')} tabIndex={0}>
            <table className="sb-heatmap" data-testid="heatmap">
              <caption>{t('heatmapCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('weekday')}</th>
                  {hours.map((hour) => (
                    <th scope="col" key={hour}>
                      {String(hour).padStart(2, '0')}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {weekdays.map((weekday) => (
                  <tr key={weekday}>
                    <th scope="row">{t(`weekday.${weekday}`)}</th>
                    {hours.map((hour) => {
                      const value = cells.get(`${weekday}-${hour}`)?.averageOffered ?? 0;
                      return (
                        <td key={hour} className={`sb-heat-${heatLevel(value, busiest)}`}>
                          {average(value)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <SpaceBetween size="xs" direction="horizontal">
            <Box variant="small" fontWeight="bold">
              {t('scale')}
            </Box>
            <ul className="sb-heatmap-legend" aria-label={t('scale')}>
              <li className="sb-heat-0">{t('scaleNone')}</li>
              {busiest > 0 &&
                Array.from({ length: levels }, (_, index) => index + 1).map((level) => (
                  <li key={level} className={`sb-heat-${level}`}>
                    {t('scaleUpTo', { value: average((busiest * level) / levels) })}
                  </li>
                ))}
            </ul>
          </SpaceBetween>
        </SpaceBetween>
      )}
    </Container>
  );
}
