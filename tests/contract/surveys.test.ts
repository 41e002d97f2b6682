import { contractSuite, openContract } from '../support/contract/suite';

// Issue 12 §2: every operation of the served document, in the surveys group, against the twin (see docs/contributing.md, "The contract test").
contractSuite('surveys', await openContract('surveys'));
