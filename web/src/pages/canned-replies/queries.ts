/** Every query about canned replies starts with this key, so one invalidation refreshes the page and every reply panel. */
export const cannedRepliesKey = ['canned-replies'] as const;
