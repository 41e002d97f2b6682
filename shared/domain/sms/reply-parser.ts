/**
 * Reads a customer's SMS reply the way a person would: `4`, `４`, ` 4 分`, `4分`, `I'd say 4`,
 * `四`, `十分` (ten points), `yes`, `是`, `不是`. Anything a person could read two ways is text,
 * so the survey asks again instead of recording a guess.
 */

export type ParsedReply =
  | { kind: 'number'; value: number }
  | { kind: 'yesNo'; value: boolean }
  | { kind: 'text'; value: string }
  | { kind: 'empty' };

/** NFKC turns full-width digits and letters (`４`, `Ｙ`) and ideographic spaces into ASCII. */
export const normalizeReply = (body: string) => body.normalize('NFKC').trim();

const punctuation = /[\s.,!?;:~'"()[\]{}。，、！？；：～「」『』（）…\-_*]+/gu;

const yesWords = new Set(['yes', 'y', 'yeah', 'yep', 'yup', 'ok', 'okay', 'sure', '是', '是的', '對', '对', '對的', '有', '好', '好的', '嗯', '沒錯']);
const noWords = new Set(['no', 'n', 'nope', 'nah', 'not really', '否', '不是', '不', '不對', '不对', '沒有', '没有', '沒', '不是的', '還沒', '尚未']);

const chineseDigits: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 兩: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10,
};

/** Words that may stand around a score without changing it: `給4分`, `4分吧`, `I'd say 4`. */
const chineseFiller = /[給给打評评分吧啦喔哦囉了啊呀的]/gu;
const maxLatinWordsAround = 4;
const maxCjkCharactersAround = 6;

export function parseReply(body: string): ParsedReply {
  const text = normalizeReply(body);
  if (text === '') return { kind: 'empty' };
  const bare = text.toLowerCase().replace(punctuation, ' ').trim().replace(/\s+/g, ' ');
  if (bare === '') return { kind: 'text', value: text };
  if (yesWords.has(bare)) return { kind: 'yesNo', value: true };
  if (noWords.has(bare)) return { kind: 'yesNo', value: false };

  const number = numberIn(bare);
  if (number !== undefined) return { kind: 'number', value: number };
  return { kind: 'text', value: text };
}

function numberIn(bare: string): number | undefined {
  const chinese = bare.replace(chineseFiller, '').replace(/\s+/g, '');
  if (chinese.length === 1 && chinese in chineseDigits) return chineseDigits[chinese];

  const numbers = [...bare.matchAll(/\d+(?:\.\d+)?/g)];
  if (numbers.length === 0) return undefined;
  // `9/10`, `9 out of 10`, `滿分10 給9`: a score over its scale; anything else with two numbers is ambiguous.
  const scored = /^(\d+) ?(?:\/|out of|of) ?10$/.exec(bare) ?? /^(?:滿分|满分) ?10 ?(?:給|给)? ?(\d+) ?分?$/u.exec(bare);
  if (scored) return Number(scored[1]);
  if (numbers.length !== 1) return undefined;
  const [match] = numbers as [RegExpMatchArray];
  if (match[0].includes('.')) return undefined;

  const around = (bare.slice(0, match.index) + ' ' + bare.slice(match.index! + match[0].length)).replace(chineseFiller, ' ');
  const latinWords = around.match(/[a-z']+/g) ?? [];
  const cjkCharacters = around.match(/\p{Script=Han}/gu) ?? [];
  if (latinWords.length > maxLatinWordsAround || cjkCharacters.length > maxCjkCharactersAround) return undefined;
  return Number(match[0]);
}
