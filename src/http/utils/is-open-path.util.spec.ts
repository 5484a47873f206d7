import { isOpenPath } from './is-open-path.util';

describe('isOpenPath', () => {
  it.each([
    ['/health', true],
    ['/health?x=1', true],
    ['/health/live', true],
    ['/docs', true],
    ['/docs/swagger-ui.css', true],
    ['/docs-json', true],
    ['/healthz', false],
    ['/docsx', false],
    ['/import', false],
    ['/metrics', false],
    ['/get_report?report_id=x', false],
    ['/', true],
    ['/?x=1', true],
    ['/ui/app.js', true],
    ['/ui', false],
    ['/uix/app.js', false],
    ['//reports', false],
  ])('%s → %s', (url, open) => {
    expect(isOpenPath(url)).toBe(open);
  });
});
