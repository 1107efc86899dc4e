import { describe, expect, it } from 'vitest';
import { checkMessage, codePointLength, isBlank, MAX_MESSAGE_CODE_POINTS } from '../lib/text';

describe('codePointLength', () => {
  it('counts code points, not UTF-16 units or bytes', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('hello')).toBe(5);
    expect(codePointLength('é')).toBe(1); // precomposed
    expect(codePointLength('e\u0301')).toBe(2); // e + combining accent: two code points
    expect(codePointLength('😀')).toBe(1); // astral: two UTF-16 units
    expect('😀'.length).toBe(2);
    expect(codePointLength('👍🏽')).toBe(2); // emoji + skin tone modifier
    expect(codePointLength('日本語')).toBe(3);
  });
  it('counts a lone surrogate as one (it becomes U+FFFD on the wire)', () => {
    expect(codePointLength('\ud83d')).toBe(1);
    expect(codePointLength('a\udc00b')).toBe(3);
  });
});

describe('isBlank', () => {
  it('is true for empty and only spaces, tabs, line breaks', () => {
    for (const s of ['', ' ', '\t', '\n', '\r\n', ' \t \n ']) expect(isBlank(s)).toBe(true);
  });
  it('is false with any other character', () => {
    for (const s of ['a', ' a ', '.', '\u00a0x']) expect(isBlank(s)).toBe(false);
  });
});

describe('checkMessage', () => {
  it('allows exactly 1024 code points, even as astral characters', () => {
    const c = checkMessage('😀'.repeat(MAX_MESSAGE_CODE_POINTS));
    expect(c).toMatchObject({ length: 1024, remaining: 0, tooLong: false, sendable: true });
  });
  it('blocks 1025 code points', () => {
    const c = checkMessage('x'.repeat(1025));
    expect(c).toMatchObject({ remaining: -1, tooLong: true, sendable: false });
  });
  it('blocks a blank message', () => {
    expect(checkMessage('  \n\t').sendable).toBe(false);
    expect(checkMessage('hi').sendable).toBe(true);
  });
});
