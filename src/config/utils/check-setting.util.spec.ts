import { checkSetting, SettingRule } from './check-setting.util';

const PORT: SettingRule = { kind: 'int', min: 0, max: 65535 };
const LEASE: SettingRule = { kind: 'int', min: 2 };
const POSITIVE: SettingRule = { kind: 'positive' };
const LEVEL: SettingRule = { kind: 'oneOf', values: ['json', 'text'] };
const CRON: SettingRule = { kind: 'text', match: /^\S+( \S+){4,5}$/, message: 'X must be a cron expression' };

describe('checkSetting', () => {
  it.each<[string | number, SettingRule, string | number]>([
    ['3000', PORT, 3000],
    ['0', PORT, 0],
    ['65535', PORT, 65535],
    [' 80 ', PORT, 80],
    [8080, PORT, 8080],
    ['2', LEASE, 2],
    ['1000000', LEASE, 1000000],
    ['0.5', POSITIVE, 0.5],
    ['30', POSITIVE, 30],
    ['text', LEVEL, 'text'],
    ['0 * * * * *', CRON, '0 * * * * *'],
    ['', { kind: 'text' }, ''],
  ])('reads %j by %j as %j', (given, rule, value) => {
    expect(checkSetting('X', given, rule)).toEqual({ value });
  });

  it.each<[string | number, SettingRule, string]>([
    ['65536', PORT, 'X must be an integer from 0 to 65535'],
    ['-1', PORT, 'X must be an integer from 0 to 65535'],
    ['80.5', PORT, 'X must be an integer from 0 to 65535'],
    ['', PORT, 'X must be an integer from 0 to 65535'],
    ['eighty', PORT, 'X must be an integer from 0 to 65535'],
    ['1', LEASE, 'X must be an integer of at least 2'],
    ['soon', LEASE, 'X must be an integer of at least 2'],
    ['0', POSITIVE, 'X must be a positive number'],
    ['-3', POSITIVE, 'X must be a positive number'],
    ['30 s', POSITIVE, 'X must be a positive number'],
    ['Infinity', POSITIVE, 'X must be a positive number'],
    ['JSON', LEVEL, 'X must be one of json, text'],
    ['* * *', CRON, 'X must be a cron expression'],
    ['x', { kind: 'text', match: /^y$/ }, 'X is malformed'],
  ])('refuses %j by %j: %s', (given, rule, error) => {
    expect(checkSetting('X', given, rule)).toEqual({ error });
  });
});
