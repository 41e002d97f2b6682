import { contractSuite, openContract } from '../support/contract/suite';

// Issue 12 §2: every operation of the served document, in the cases group, against the twin (see docs/contributing.md, "The contract test").
contractSuite('cases', await openContract('cases'));
