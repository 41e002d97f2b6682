import DateRangePicker, { type DateRangePickerProps } from '@cloudscape-design/components/date-range-picker';
import { useEffect, useRef } from 'react';

export interface PeriodPickerProps {
  value: DateRangePickerProps.Value;
  onChange(value: DateRangePickerProps.Value): void;
  relativeOptions: DateRangePickerProps.RelativeOption[];
  isValidRange: DateRangePickerProps.ValidationFunction;
  formatRelativeRange(value: DateRangePickerProps.RelativeValue): string;
  customRangeLabel: string;
  ariaLabel: string;
  /** Open the choice as soon as it is shown: the person has just asked for it on the light button it replaces. */
  openAtOnce: boolean;
}

/**
 * Cloudscape's DateRangePicker (with date-fns, some 25 KB gzip), loaded the first time a person
 * opens the period choice rather than with the dashboard's first paint.
 */
export default function PeriodPicker({ value, onChange, relativeOptions, isValidRange, formatRelativeRange, customRangeLabel, ariaLabel, openAtOnce }: PeriodPickerProps) {
  const wrapper = useRef<HTMLDivElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    if (!openAtOnce || opened.current) return;
    opened.current = true;
    // The picker opens on its trigger's click only; the trigger is its one button until it opens.
    wrapper.current?.querySelector('button')?.click();
  }, [openAtOnce]);
  return (
    <div ref={wrapper}>
      <DateRangePicker
        value={value}
        onChange={(event) => event.detail.value && onChange(event.detail.value)}
        relativeOptions={relativeOptions}
        isValidRange={isValidRange}
        dateOnly
        customRelativeRangeUnits={['day', 'week', 'month']}
        i18nStrings={{ formatRelativeRange, customRelativeRangeOptionLabel: customRangeLabel }}
        ariaLabel={ariaLabel}
      />
    </div>
  );
}
