/**
 * What "now" is where a rule depends on the time of day and a test must be able to place it:
 * closing a contact (its closedAt decides a survey's quiet hours) and the survey decision. The
 * real time, unless the local twin is asked to run the functions on its movable clock
 * (TwinOptions.functionsFollowClock); everything else still reads the real time.
 */
export const functionClock = {
  now: (): Date => new Date(),
};
