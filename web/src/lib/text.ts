/** The API's limit: 1024 Unicode code points (not UTF-16 units, not bytes). */
export const MAX_MESSAGE_CODE_POINTS = 1024;

/** Unicode code points in `text` (an astral character such as an emoji is one). */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low surrogate is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Blank as the API defines it: empty, or only spaces, tabs and line breaks. */
export function isBlank(text: string): boolean {
  return /^[ \t\r\n]*$/.test(text);
}

export interface MessageCheck {
  length: number;
  remaining: number;
  blank: boolean;
  tooLong: boolean;
  sendable: boolean;
}

export function checkMessage(text: string, max = MAX_MESSAGE_CODE_POINTS): MessageCheck {
  const length = codePointLength(text);
  const blank = isBlank(text);
  const tooLong = length > max;
  return { length, remaining: max - length, blank, tooLong, sendable: !blank && !tooLong };
}
