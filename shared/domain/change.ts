import type { DomainEvent } from '../events/catalog';

/**
 * What a domain rule decides: the new state and the events it emits, which the caller writes in
 * one transaction (the outbox). Cases add their timeline entries (CaseChange).
 */
export interface Change<State> {
  next: State;
  events: DomainEvent[];
}
