import AttributeEditor from '@cloudscape-design/components/attribute-editor';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import DatePicker from '@cloudscape-design/components/date-picker';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { fieldError } from '../../components/problem';
import { useMessages } from '../../i18n/locale';
import { settingsMessages } from './messages';
import { useSection } from './section';
import type { Settings } from './use-settings';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof weekdays)[number];
type Interval = { open: string; close: string };
type SpecialDay = { date: string; name: string; hours: Interval[] };
interface HoursDraft {
  businessHours: Record<Weekday, Interval[]>;
  specialDays: SpecialDay[];
}

/** The most intervals a day may have (the API's limit). */
const maxIntervals = 4;

/** A day's opening intervals: each an open and a close time, HH:MM; none is closed. */
function IntervalsEditor({
  intervals,
  onChange,
  label,
  errorPath,
  error,
  readOnly,
}: {
  intervals: Interval[];
  onChange(next: Interval[]): void;
  label: string;
  errorPath: string;
  error: unknown;
  readOnly: boolean;
}) {
  const t = useMessages(settingsMessages);
  const set = (index: number, field: keyof Interval, value: string) =>
    onChange(intervals.map((interval, at) => (at === index ? { ...interval, [field]: value } : interval)));
  return (
    <SpaceBetween direction="horizontal" size="m" alignItems="start">
      {intervals.length === 0 && (
        <Box color="text-status-inactive" padding={{ vertical: 'xxs' }}>
          {t('closed')}
        </Box>
      )}
      {intervals.map((interval, index) => {
        const at = `${errorPath}[${index}]`;
        return (
          <SpaceBetween key={index} direction="horizontal" size="xxs" alignItems="start">
            <FormField errorText={fieldError(error, `${at}.open`)}>
              <div style={{ width: '5.5rem' }}>
                <Input
                  value={interval.open}
                  placeholder="09:00"
                  inputMode="numeric"
                  ariaLabel={t('opensOn', { day: label, n: index + 1 })}
                  readOnly={readOnly}
                  onChange={(event) => set(index, 'open', event.detail.value)}
                />
              </div>
            </FormField>
            <Box padding={{ vertical: 'xxs' }}>–</Box>
            <FormField errorText={fieldError(error, `${at}.close`) ?? fieldError(error, at)}>
              <div style={{ width: '5.5rem' }}>
                <Input
                  value={interval.close}
                  placeholder="18:00"
                  inputMode="numeric"
                  ariaLabel={t('closesOn', { day: label, n: index + 1 })}
                  readOnly={readOnly}
                  onChange={(event) => set(index, 'close', event.detail.value)}
                />
              </div>
            </FormField>
            {!readOnly && (
              <Button
                formAction="none"
                iconName="remove"
                variant="icon"
                ariaLabel={t('removeIntervalOf', { day: label, n: index + 1 })}
                onClick={() => onChange(intervals.filter((_, other) => other !== index))}
              />
            )}
          </SpaceBetween>
        );
      })}
      {!readOnly && intervals.length < maxIntervals && (
        <Button formAction="none" iconName="add-plus" variant="inline-link" onClick={() => onChange([...intervals, { open: '09:00', close: '18:00' }])} ariaLabel={t('addHoursTo', { day: label })}>
          {t('addHours')}
        </Button>
      )}
    </SpaceBetween>
  );
}

export function BusinessHoursSection({ settings }: { settings: Settings }) {
  const t = useMessages(settingsMessages);
  const section = useSection<HoursDraft>({
    id: 'hours',
    settings,
    header: t('hoursTitle'),
    description: t('hoursDescription', { timezone: settings.timezone }),
    fromSettings: (current) => ({ businessHours: current.businessHours, specialDays: current.specialDays ?? [] }),
    // The whole week and the whole calendar: the calendar is a list the API replaces whole.
    toPatch: (draft) => ({ businessHours: draft.businessHours, specialDays: draft.specialDays }),
  });
  const { value, change, error, canEdit } = section;
  const setDay = (day: Weekday, intervals: Interval[]) => change({ ...value, businessHours: { ...value.businessHours, [day]: intervals } });
  const setSpecialDay = (index: number, next: Partial<SpecialDay>) =>
    change({ ...value, specialDays: value.specialDays.map((day, at) => (at === index ? { ...day, ...next } : day)) });

  return section.frame(
    <SpaceBetween size="l">
      <SpaceBetween size="m">
        {weekdays.map((day) => (
          <FormField key={day} label={t(`day.${day}`)} errorText={fieldError(error, `$.businessHours.${day}`)}>
            <IntervalsEditor
              intervals={value.businessHours[day]}
              onChange={(intervals) => setDay(day, intervals)}
              label={t(`day.${day}`)}
              errorPath={`$.businessHours.${day}`}
              error={error}
              readOnly={!canEdit}
            />
          </FormField>
        ))}
      </SpaceBetween>
      <Header variant="h3" description={t('specialDaysDescription')}>
        {t('specialDaysTitle')}
      </Header>
      <FormField errorText={fieldError(error, '$.specialDays')} stretch>
        <AttributeEditor<SpecialDay>
          items={value.specialDays}
          isItemRemovable={() => canEdit}
          addButtonText={t('addSpecialDay')}
          disableAddButton={!canEdit}
          removeButtonText={t('remove')}
          empty={t('noSpecialDays')}
          onAddButtonClick={() => change({ ...value, specialDays: [...value.specialDays, { date: '', name: '', hours: [] }] })}
          onRemoveButtonClick={(event) => change({ ...value, specialDays: value.specialDays.filter((_, at) => at !== event.detail.itemIndex) })}
          definition={[
            {
              label: t('specialDayDate'),
              errorText: (_, index) => fieldError(error, `$.specialDays[${index}].date`),
              control: (day, index) => (
                <DatePicker
                  value={day.date}
                  placeholder="YYYY/MM/DD"
                  readOnly={!canEdit}
                  ariaLabel={t('specialDayDateOf', { n: index + 1 })}
                  onChange={(event) => setSpecialDay(index, { date: event.detail.value })}
                />
              ),
            },
            {
              label: t('specialDayName'),
              errorText: (_, index) => fieldError(error, `$.specialDays[${index}].name`),
              control: (day, index) => (
                <Input
                  value={day.name}
                  readOnly={!canEdit}
                  ariaLabel={t('specialDayNameOf', { n: index + 1 })}
                  onChange={(event) => setSpecialDay(index, { name: event.detail.value })}
                />
              ),
            },
            {
              label: t('specialDayHours'),
              errorText: (_, index) => fieldError(error, `$.specialDays[${index}].hours`),
              control: (day, index) => {
                const open = day.hours.length > 0;
                const options = [
                  { value: 'closed', label: t('closedAllDay') },
                  { value: 'open', label: t('otherHours') },
                ];
                return (
                  <SpaceBetween size="xs">
                    <Select
                      selectedOption={options[open ? 1 : 0]!}
                      options={options}
                      disabled={!canEdit}
                      ariaLabel={t('specialDayKindOf', { n: index + 1 })}
                      onChange={(event) => setSpecialDay(index, { hours: event.detail.selectedOption.value === 'open' ? [{ open: '10:00', close: '16:00' }] : [] })}
                    />
                    {open && (
                      <IntervalsEditor
                        intervals={day.hours}
                        onChange={(hours) => setSpecialDay(index, { hours })}
                        label={day.name || day.date || t('specialDayN', { n: index + 1 })}
                        errorPath={`$.specialDays[${index}].hours`}
                        error={error}
                        readOnly={!canEdit}
                      />
                    )}
                  </SpaceBetween>
                );
              },
            },
          ]}
        />
      </FormField>
    </SpaceBetween>,
  );
}
