import { POLLS_FEED } from './feed-specs.util';
import { parsePollLine } from './parse-poll-line.util';
import { splitUnquotedLine } from './split-unquoted-line.util';

const us = (iso: string, micros = 0) => Date.parse(iso) * 1000 + micros;

describe('parsePollLine', () => {
  it.each([
    [
      '4821665419609500683,active,2023-03-03 18:00:01.252551 UTC',
      { storeId: '4821665419609500683', timestampUs: us('2023-03-03T18:00:01Z', 252551), active: true },
    ],
    [
      'b0c11fde-cb91-ce37-5bc8-fbbcbde5c099,inactive,2023-03-03 18:00:02 UTC',
      { storeId: 'b0c11fde-cb91-ce37-5bc8-fbbcbde5c099', timestampUs: us('2023-03-03T18:00:02Z'), active: false },
    ],
    ['a_b,ACTIVE,2023-03-04T15:03:57Z', { storeId: 'a_b', timestampUs: us('2023-03-04T15:03:57Z'), active: true }],
    ['x,InActive,2023-03-04 20:33:57+05:30', { storeId: 'x', timestampUs: us('2023-03-04T15:03:57Z'), active: false }],
  ])('reads %j as the full validation does', (line, row) => {
    expect(parsePollLine(line)).toEqual(row);
    expect(POLLS_FEED.parse(splitUnquotedLine(line))).toEqual(row);
  });

  // Null leaves the line to the full validation, which trims it, accepts it or gives the reason.
  it.each([
    [' 1,active,2023-03-03 18:00:01 UTC', { storeId: '1', timestampUs: us('2023-03-03T18:00:01Z'), active: true }],
    ['1, active ,2023-03-03 18:00:01 UTC', { storeId: '1', timestampUs: us('2023-03-03T18:00:01Z'), active: true }],
    ['1,active, 2023-03-03 18:00:01 UTC\t', { storeId: '1', timestampUs: us('2023-03-03T18:00:01Z'), active: true }],
    ['1,active,2023-03-03 18:00:01 UTC,', 'expected 3 values'],
    ['1,active', 'expected 3 values'],
    [',active,2023-03-03 18:00:01 UTC', 'store_id is empty'],
    ['a b,active,2023-03-03 18:00:01 UTC', 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -'],
    [`${'x'.repeat(65)},active,2023-03-03 18:00:01 UTC`, 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -'],
    ['1,activ,2023-03-03 18:00:01 UTC', 'status must be active or inactive'],
    ['1,act1ve,2023-03-03 18:00:01 UTC', 'status must be active or inactive'],
    ['1,act\u0130ve,2023-03-03 18:00:01 UTC', 'status must be active or inactive'],
    ['1,@ctive,2023-03-03 18:00:01 UTC', 'status must be active or inactive'],
    ['1,active,2023-02-29 18:00:01 UTC', 'timestamp_utc has no such date: 2023-02-29'],
    ['1,active,never', 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
  ])('leaves %j to the full validation (%j)', (line, verdict) => {
    expect(parsePollLine(line)).toBeNull();
    const values = splitUnquotedLine(line);
    expect(values.length === 3 ? POLLS_FEED.parse(values) : 'expected 3 values').toEqual(verdict);
  });

  it.each([
    ['s1,active,2023-03-03 18:00:01 UTC', true, { storeId: 's1', timestampUs: us('2023-03-03T18:00:01Z'), active: true }],
    ['s1,active,2023-03-03 18:00:01 UTC', false, { storeId: 's1', timestampUs: us('2023-03-03T18:00:01Z'), active: true }],
    // An id the caller says it accepted before is not checked again (this one never would be).
    ['a b,active,2023-03-03 18:00:01 UTC', true, { storeId: 'a b', timestampUs: us('2023-03-03T18:00:01Z'), active: true }],
    ['a b,active,2023-03-03 18:00:01 UTC', false, null],
    ['s1,maybe,2023-03-03 18:00:01 UTC', true, null],
  ])('reads %j with its id known: %j', (line, known, row) => {
    const asked: string[] = [];
    expect(parsePollLine(line, (id) => (asked.push(id), known))).toEqual(row);
    expect(asked).toEqual([line.slice(0, line.indexOf(','))]);
  });
});
