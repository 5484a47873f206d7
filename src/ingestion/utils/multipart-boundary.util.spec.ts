import { multipartBoundary } from './multipart-boundary.util';

describe('multipartBoundary', () => {
  it.each<[string | undefined, string | null]>([
    ['multipart/form-data; boundary=abc', 'abc'],
    ['multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW', '----WebKitFormBoundary7MA4YWxkTrZu0gW'],
    ['multipart/form-data;boundary="a b:c"', 'a b:c'],
    ['Multipart/Form-Data; BOUNDARY=abc; charset=utf-8', 'abc'],
    ['multipart/form-data; charset=utf-8; boundary=abc', 'abc'],
    [`multipart/form-data; boundary=${'b'.repeat(70)}`, 'b'.repeat(70)],
    // none to split the body by
    ['multipart/form-data', null],
    ['multipart/form-data; charset=utf-8', null],
    ['multipart/form-data; boundary=', null],
    ['multipart/form-data; boundary=""', null],
    ['multipart/form-data; boundary="abc', null],
    [`multipart/form-data; boundary=${'b'.repeat(71)}`, null],
    ['multipart/form-data; xboundary=abc', null],
    [undefined, null],
  ])('%j → %j', (contentType, boundary) => {
    expect(multipartBoundary(contentType)).toBe(boundary);
  });
});
