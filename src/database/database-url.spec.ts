import { parseDatabaseUrl } from './database-url';

describe('parseDatabaseUrl', () => {
  it('reads a SQLite path', () => {
    expect(parseDatabaseUrl('sqlite:data/x.db')).toEqual({ kind: 'sqlite', path: 'data/x.db' });
  });

  it.each([
    ['mysql://root@127.0.0.1:3306/store_monitor', [['127.0.0.1:3306', 'mysql://root@127.0.0.1:3306/store_monitor']]],
    ['mysql://u:p%40ss@db/sm', [['db:3306', 'mysql://u:p%40ss@db/sm']]],
    [
      'mysql://u:p@h1:3306,h2:3307, h3/sm?connectTimeout=1000',
      [
        ['h1:3306', 'mysql://u:p@h1:3306/sm?connectTimeout=1000'],
        ['h2:3307', 'mysql://u:p@h2:3307/sm?connectTimeout=1000'],
        ['h3:3306', 'mysql://u:p@h3/sm?connectTimeout=1000'],
      ],
    ],
    [
      'mysql://root@[::1]:3306,127.0.0.1/sm',
      [
        ['[::1]:3306', 'mysql://root@[::1]:3306/sm'],
        ['127.0.0.1:3306', 'mysql://root@127.0.0.1/sm'],
      ],
    ],
  ])('reads the nodes of %s', (url, nodes) => {
    const target = parseDatabaseUrl(url);
    expect(target).toMatchObject({ kind: 'mysql', url });
    if (target.kind !== 'mysql') throw new Error('not mysql');
    expect(target.database).toBe(url.includes('store_monitor') ? 'store_monitor' : 'sm');
    expect(target.nodes.map((n) => [n.label, n.url])).toEqual(nodes);
  });

  it.each([
    ['mysql://root@h1,,h2/sm', /empty host/],
    ['mysql://root@h1:3306,h2:3306', /must name a database/],
    ['mysql://root@h1:99999/sm', /Invalid URL/],
    ['postgres://x/y', /must start with/],
  ])('refuses %s', (url, why) => {
    expect(() => parseDatabaseUrl(url)).toThrow(why);
  });
});
