import { normalizeReply } from './reply-parser';

/**
 * The SMS keywords Switchboard answers itself. A keyword counts only as the whole message (after
 * trimming, any letter case or width, and trailing punctuation): "stop" is a keyword, "don't stop
 * calling me" is a reply. The English ones are those AWS End User Messaging SMS also treats as
 * opt-out and help keywords on the number (docs/sms.md, "STOP and the opt-out list").
 */
export type SmsKeyword = 'stop' | 'help';

const stopKeywords = new Set(['stop', 'unsubscribe', 'stopall', 'cancel', 'end', 'quit', 'optout', 'opt out', 'opt-out', '退訂', '退订', '取消', '取消訂閱', '取消订阅']);
const helpKeywords = new Set(['help', 'info', '幫助', '帮助', '說明', '说明']);

export function detectKeyword(body: string): SmsKeyword | undefined {
  const word = normalizeReply(body)
    .toLowerCase()
    .replace(/[\s.,!?;:。，！？；：~～]+$/u, '')
    .replace(/^[\s.,!?;:。，！？；：~～]+/u, '')
    .replace(/\s+/g, ' ');
  if (stopKeywords.has(word)) return 'stop';
  if (helpKeywords.has(word)) return 'help';
  return undefined;
}
