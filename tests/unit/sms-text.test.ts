import { describe, expect, it } from 'vitest';
import { detectKeyword } from '../../shared/domain/sms/keywords';
import { parseReply } from '../../shared/domain/sms/reply-parser';
import { countSegments } from '../../shared/domain/sms/segments';

describe('countSegments', () => {
  it.each([
    ['empty', '', 'GSM-7', 0, 0],
    ['plain English', 'How did we do? Reply 1-5.', 'GSM-7', 25, 1],
    ['160 GSM characters fit one segment', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 GSM characters need two (153 + 8)', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['306 GSM characters fill two segments of 153', 'a'.repeat(306), 'GSM-7', 306, 2],
    ['307 GSM characters need three', 'a'.repeat(307), 'GSM-7', 307, 3],
    ['€ is GSM (extension table) and costs two septets', '€'.repeat(80), 'GSM-7', 80, 1],
    ['81 × € is 162 septets: two segments', '€'.repeat(81), 'GSM-7', 81, 2],
    ['[ ] { } on a 159-septet body tip it over', `${'a'.repeat(159)}[`, 'GSM-7', 160, 2],
    ['an extension character is never split: 152 + € goes to the next segment', `${'a'.repeat(152)}€${'a'.repeat(10)}`, 'GSM-7', 163, 2],
    ['accented Latin of the GSM set (é, ñ, ö, Ü)', 'Café Ñoño Über', 'GSM-7', 14, 1],
    ['ú is not in the GSM set (only ù is): UCS-2', 'Ñandú', 'UCS-2', 5, 1],
    ['Chinese switches the whole body to UCS-2', '您好,請為本次服務評分 1-5', 'UCS-2', 15, 1],
    ['70 Chinese characters fit one segment', '好'.repeat(70), 'UCS-2', 70, 1],
    ['71 Chinese characters need two (67 + 4)', '好'.repeat(71), 'UCS-2', 71, 2],
    ['134 Chinese characters fill two segments', '好'.repeat(134), 'UCS-2', 134, 2],
    ['a single ç (not in GSM; only Ç is) forces UCS-2', `${'a'.repeat(70)}ç`, 'UCS-2', 71, 2],
    ['an emoji is two UTF-16 units', '👍'.repeat(35), 'UCS-2', 35, 1],
    ['36 emoji are 72 units: two segments', '👍'.repeat(36), 'UCS-2', 36, 2],
    ['a surrogate pair is never split: 66 units + emoji go to the next segment', `${'好'.repeat(66)}👍${'好'.repeat(5)}`, 'UCS-2', 72, 2],
    ['a surrogate pair at the boundary that would split goes whole to the next segment', `${'好'.repeat(66)}👍${'好'.repeat(66)}👍`, 'UCS-2', 134, 3],
  ])('%s', (_name, text, encoding, characters, segments) => {
    expect(countSegments(text)).toEqual({ encoding, characters, segments });
  });
});

describe('parseReply', () => {
  it.each([
    ['4', { kind: 'number', value: 4 }],
    ['  4  ', { kind: 'number', value: 4 }],
    ['４', { kind: 'number', value: 4 }],
    ['１０', { kind: 'number', value: 10 }],
    [' 4 分', { kind: 'number', value: 4 }],
    ['4分', { kind: 'number', value: 4 }],
    ['給4分吧', { kind: 'number', value: 4 }],
    ["I'd say 4", { kind: 'number', value: 4 }],
    ['4!', { kind: 'number', value: 4 }],
    ['0', { kind: 'number', value: 0 }],
    ['9/10', { kind: 'number', value: 9 }],
    ['9 out of 10', { kind: 'number', value: 9 }],
    ['四', { kind: 'number', value: 4 }],
    ['四分', { kind: 'number', value: 4 }],
    ['十', { kind: 'number', value: 10 }],
    ['十分', { kind: 'number', value: 10 }],
    ['零', { kind: 'number', value: 0 }],
    ['兩分', { kind: 'number', value: 2 }],
    ['yes', { kind: 'yesNo', value: true }],
    ['Yes!', { kind: 'yesNo', value: true }],
    ['Y', { kind: 'yesNo', value: true }],
    ['ｙｅｓ', { kind: 'yesNo', value: true }],
    ['是', { kind: 'yesNo', value: true }],
    ['對', { kind: 'yesNo', value: true }],
    ['no', { kind: 'yesNo', value: false }],
    ['N', { kind: 'yesNo', value: false }],
    ['否', { kind: 'yesNo', value: false }],
    ['不是', { kind: 'yesNo', value: false }],
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
    ['　', { kind: 'empty' }],
  ])('%j → %j', (body, expected) => {
    expect(parseReply(body)).toEqual(expected);
  });

  it.each([
    ['4 or 5', 'two numbers could be either'],
    ['4.5', 'no scale takes halves'],
    ['I called 3 times and nobody ever answered me', 'a number inside a sentence is not a score'],
    ['十分滿意', '"very satisfied" is not ten points'],
    ['一般', '"so-so" is not one point'],
    ['一直沒有人接電話', 'a complaint, not a score'],
    ['The agent was lovely', 'free text'],
    ['👍', 'an emoji is text'],
  ])('%j stays text (%s)', (body) => {
    expect(parseReply(body)).toEqual({ kind: 'text', value: body.trim() });
  });
});

describe('detectKeyword', () => {
  it.each([
    ['STOP', 'stop'],
    ['stop', 'stop'],
    ['Stop.', 'stop'],
    ['  STOP  ', 'stop'],
    ['ＳＴＯＰ', 'stop'],
    ['UNSUBSCRIBE', 'stop'],
    ['StopAll', 'stop'],
    ['CANCEL', 'stop'],
    ['end', 'stop'],
    ['Quit', 'stop'],
    ['OPTOUT', 'stop'],
    ['退訂', 'stop'],
    [' 取消 ', 'stop'],
    ['退訂！', 'stop'],
    ['HELP', 'help'],
    ['help?', 'help'],
    ['幫助', 'help'],
  ])('%j is %s', (body, keyword) => {
    expect(detectKeyword(body)).toBe(keyword);
  });

  it.each([
    "don't stop",
    'please stop texting me at night',
    'stopped by the store',
    'I need help with my bill',
    '5',
    '取消訂單',
    '',
  ])('%j is not a keyword', (body) => {
    expect(detectKeyword(body)).toBeUndefined();
  });
});
