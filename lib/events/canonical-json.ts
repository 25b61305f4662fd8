/**
 * Whether a JSON text is already in the form JSON.stringify gives back.
 *
 * An event's identity and stored document are the JSON.stringify of the
 * parsed event (content-hash.ts), which cost about a seventh of the time to
 * ingest an event. Most producers write each event on one line, compactly, so
 * the line read is that very string: when this says so, ingest keeps the line
 * and skips the stringify. The answer may be false for a text that is in fact
 * canonical (then the event is stringified as before), never true for one that
 * is not.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Integers of at most this many digits are written back as they are (2^53 has 16). */
const SAFE_INTEGER_DIGITS = 15;

/** A UTF-16 surrogate without its other half; JSON.stringify writes it as a \u escape. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Open containers while scanning: true for an object, false for an array; reused across calls. */
const openObjects: boolean[] = [];

/**
 * True only if JSON.stringify(parsed) === text, where `parsed` is what
 * JSON.parse(text) returned (so `text` is valid JSON: this checks spelling,
 * not syntax). That holds when the text has
 * - no whitespace between tokens;
 * - in strings, only the escapes \" \\ \b \f \n \r \t, and no lone surrogate
 *   (JSON.stringify writes `\u` escapes only for control characters and lone
 *   surrogates, rare enough to leave to the slow path);
 * - numbers spelled as JavaScript prints them (`1`, not `1.0` or `1e0`);
 * - no key that starts with a digit (JavaScript moves integer-like keys to the
 *   front of an object) and no key twice in one object (JSON.parse keeps one):
 *   the text's keys are counted and compared with the parsed value's.
 *
 * String contents are skipped with indexOf, not read a character at a time:
 * a loop over every character cost as much as JSON.stringify itself.
 */
export function isCanonicalJson(text: string, parsed: unknown): boolean {
  if (LONE_SURROGATE.test(text)) return false;
  openObjects.length = 0;
  const length = text.length;
  let nextBackslash = text.indexOf("\\");
  let keys = 0;
  let index = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      if (openObjects[openObjects.length - 1] === true) {
        const previous = text.charCodeAt(index - 1);
        if (previous === OPEN_BRACE || previous === COMMA) {
          keys++;
          const first = text.charCodeAt(index + 1);
          if (first >= DIGIT_0 && first <= DIGIT_9) return false;
        }
      }
      let end = text.indexOf('"', index + 1);
      // Escapes inside this string: each must be canonical, and an escaped quote does not end it.
      while (nextBackslash !== -1 && nextBackslash < end) {
        if (!isCanonicalEscape(text.charCodeAt(nextBackslash + 1))) return false;
        const after = nextBackslash + 2;
        if (after > end) end = text.indexOf('"', after);
        nextBackslash = text.indexOf("\\", after);
      }
      if (end < 0) return false;
      index = end + 1;
    } else if (code === OPEN_BRACE) {
      openObjects.push(true);
      index++;
    } else if (code === OPEN_BRACKET) {
      openObjects.push(false);
      index++;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      openObjects.pop();
      index++;
    } else if (code === COLON || code === COMMA) {
      index++;
    } else if (code === MINUS || (code >= DIGIT_0 && code <= DIGIT_9)) {
      const end = numberEnd(text, index);
      if (!isCanonicalNumber(text, index, end)) return false;
      index = end;
    } else if (code === 0x74 /* t */ || code === 0x6e /* n */) {
      index += 4; // true, null
    } else if (code === 0x66 /* f */) {
      index += 5; // false
    } else {
      return false; // whitespace, or a byte order mark
    }
  }
  return keys === countKeys(parsed);
}

/** Keys of every object in a parsed value: fewer than the text's when the text repeats a key. */
function countKeys(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += countKeys(item);
    return count;
  }
  for (const key in value) count += 1 + countKeys((value as Record<string, unknown>)[key]);
  return count;
}

function isCanonicalEscape(code: number): boolean {
  // \" \\ \b \f \n \r \t: how JSON.stringify writes those characters. Not \/ and not \u.
  return (
    code === QUOTE ||
    code === BACKSLASH ||
    code === 0x62 ||
    code === 0x66 ||
    code === 0x6e ||
    code === 0x72 ||
    code === 0x74
  );
}

function numberEnd(text: string, index: number): number {
  let end = index + 1;
  for (;;) {
    const code = text.charCodeAt(end);
    const numeric =
      (code >= DIGIT_0 && code <= DIGIT_9) ||
      code === 0x2e /* . */ ||
      code === 0x65 /* e */ ||
      code === 0x45 /* E */ ||
      code === 0x2b /* + */ ||
      code === MINUS;
    if (!numeric) return end;
    end++;
  }
}

function isCanonicalNumber(text: string, start: number, end: number): boolean {
  const negative = text.charCodeAt(start) === MINUS;
  const digitsStart = negative ? start + 1 : start;
  const digits = end - digitsStart;
  let plainInteger = digits > 0 && digits <= SAFE_INTEGER_DIGITS;
  for (let index = digitsStart; plainInteger && index < end; index++) {
    const code = text.charCodeAt(index);
    plainInteger = code >= DIGIT_0 && code <= DIGIT_9;
  }
  if (plainInteger) {
    // JSON.parse has refused leading zeros already; "-0" is written back as "0".
    return !(negative && digits === 1 && text.charCodeAt(digitsStart) === DIGIT_0);
  }
  const spelled = text.slice(start, end);
  return String(Number(spelled)) === spelled;
}
