import { CaseOpened, CaseSlaBreached, CaseSlaDeadlinesChanged, CaseStatusChanged } from '../events/case-events';
import { contactClosed, contactOpened, referralConverted, referralLost, referralMade } from '../events/contact-events';
import { customerErased } from '../events/customer-events';
import { surveyCompleted } from '../events/survey-events';

// Not in shared/domain/customer-overview.ts, which the overview API function imports: each
// definition brings its schema into the bundle.

/** Every event the projection consumer keeps the overview from; the `customer-overview` subscription's pattern lists exactly their detail-types. */
export const projectedEvents = [
  contactOpened,
  contactClosed,
  CaseOpened,
  CaseStatusChanged,
  CaseSlaDeadlinesChanged,
  CaseSlaBreached,
  referralMade,
  referralConverted,
  referralLost,
  surveyCompleted,
  customerErased,
] as const;
export type ProjectedDetailType = (typeof projectedEvents)[number]['detailType'];
export const projectedDetailTypes: readonly ProjectedDetailType[] = [...new Set(projectedEvents.map((definition) => definition.detailType))];
