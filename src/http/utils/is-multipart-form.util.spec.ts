import { isMultipartForm } from './is-multipart-form.util';

describe('isMultipartForm', () => {
  it.each([
    ['multipart/form-data; boundary=x', true],
    ['multipart/form-data', true],
    ['Multipart/Form-Data ; boundary=x', true],
    [' multipart/form-data', true],
    ['multipart/mixed; boundary=x', false],
    ['multipart/form-datax', false],
    ['application/json', false],
    ['text/plain; multipart/form-data', false],
    [undefined, false],
  ])('%s → %s', (contentType, expected) => {
    expect(isMultipartForm(contentType)).toBe(expected);
  });
});
