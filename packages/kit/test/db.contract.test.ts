import { after, before, describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openPostgres } from '../src/db/db.pg.ts'
import { quoteIdent, uniqueViolation } from '../src/db/db.ts'
import type { Db } from '../src/db/db.ts'
import type { PgliteCluster } from '../src/db/db.pglite.ts'
import { migrate } from '../src/db/migrate.ts'
import { openTestCluster, openTestDb, uniqueName } from '../src/testing/test-db.ts'

/** One way of getting a fresh, empty schema; every adapter passes the same suite. */
interface DbAdapter {
  name: string
  setup(): Promise<void>
  teardown(): Promise<void>
  /** A fresh schema (created, empty) and its cleanup. */
  open(): Promise<{ db: Db, cleanup(): Promise<void> }>
  /** A second, independent handle on the same schema: another instance of the same service. */
  peer(db: Db): Db
}

const createSchema = (db: Db) => db.query(`create schema ${quoteIdent(db.schema)}`)
const dropSchema = (db: Db) => db.query(`drop schema if exists ${quoteIdent(db.schema)} cascade`)

function embedded (): DbAdapter {
  let cluster: PgliteCluster
  return {
    name: 'pglite',
    async setup () { cluster = await openTestCluster() },
    teardown: () => cluster.close(),
    async open () {
      const db = cluster.forSchema(uniqueName('t_contract'))
      await createSchema(db)
      // Only the schema goes: closing the cluster's last view would close the cluster the next test shares.
      return { db, cleanup: () => dropSchema(db).then(() => {}) }
    },
    peer: (db) => cluster.forSchema(db.schema)
  }
}

function postgres (url: string): DbAdapter {
  return {
    name: 'postgres',
    async setup () {},
    async teardown () {},
    async open () {
      const handle = await openTestDb('contract')
      await createSchema(handle.db)
      return handle
    },
    peer: (db) => openPostgres({ url, schema: db.schema, poolSize: 2 })
  }
}

function adapters (): DbAdapter[] {
  const url = process.env.DATABASE_URL
  return url ? [embedded(), postgres(url)] : [embedded()]
}

/** Writes `NNNN_name.sql` files into a temp dir removed after the test. */
async function migrationsDir (t: TestContext, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql)
  return dir
}

const TWO_FILES = {
  '0002_stock.sql': 'create table stock (item_id int primary key references items (id), units int not null);\ninsert into stock values (1, 12);',
  '0001_items.sql': 'create table items (id int primary key, name text not null);\ninsert into items values (1, \'pen\');',
  'README.md': 'not a migration'
}

async function tablesIn (db: Db): Promise<string[]> {
  const res = await db.query<{ table_name: string }>(
    'select table_name from information_schema.tables where table_schema = $1 order by table_name', [db.schema])
  return res.rows.map(r => r.table_name)
}

for (const adapter of adapters()) {
  describe(`db contract: ${adapter.name}`, () => {
    before(() => adapter.setup())
    after(() => adapter.teardown())

    async function open (t: TestContext): Promise<Db> {
      const handle = await adapter.open()
      t.after(() => handle.cleanup())
      return handle.db
    }

    async function withItems (t: TestContext): Promise<Db> {
      const db = await open(t)
      await db.exec('create table items (id int primary key, name text not null); create unique index items_name_key on items (name)')
      return db
    }

    const count = async (db: Db) => (await db.query<{ n: number }>('select count(*)::int as n from items')).rows[0]!.n

    describe('values', () => {
      it('binds $n parameters and reports the affected row count', async (t) => {
        const db = await withItems(t)
        const inserted = await db.query('insert into items (id, name) values ($1, $2), ($3, $4)', [1, 'pen', 2, 'ink'])
        assert.equal(inserted.rowCount, 2)
        const res = await db.query<{ id: number, name: string }>('select id, name from items where name = $1', ['ink'])
        assert.deepEqual(res.rows, [{ id: 2, name: 'ink' }])
        assert.equal(res.rowCount, 1)
        assert.equal((await db.query('update items set name = upper(name) where id >= $1', [1])).rowCount, 2)
        assert.equal((await db.query('update items set name = name where id > $1', [5])).rowCount, 0)
      })

      it('returns int8, count(*) and numeric as strings, and int4 as a number', async (t) => {
        const db = await open(t)
        const res = await db.query('select 9007199254740993::int8 as big, count(*) as n, 12.50::numeric as price, 7::int4 as small from (values (1), (2)) v(x)')
        assert.deepEqual(res.rows[0], { big: '9007199254740993', n: '2', price: '12.50', small: 7 })
      })

      it('returns timestamptz as a Date at the same instant', async (t) => {
        const db = await open(t)
        const res = await db.query<{ at: Date }>('select $1::timestamptz as at', ['2024-02-29T12:34:56.789Z'])
        assert.ok(res.rows[0]!.at instanceof Date)
        assert.equal(res.rows[0]!.at.toISOString(), '2024-02-29T12:34:56.789Z')
      })

      it('round-trips jsonb as parsed JSON', async (t) => {
        const db = await open(t)
        await db.exec('create table docs (id int primary key, body jsonb not null)')
        const body = { name: 'pen', tags: ['a', 'b'], nested: { n: 1, ok: true, none: null } }
        await db.query('insert into docs values (1, $1::jsonb)', [JSON.stringify(body)])
        const res = await db.query<{ body: unknown }>('select body from docs where id = 1')
        assert.deepEqual(res.rows[0]!.body, body)
      })

      it('returns text[] as an array and accepts an array parameter', async (t) => {
        const db = await open(t)
        const res = await db.query<{ tags: string[], echoed: string[] }>(
          'select array[\'a\', \'b c\']::text[] as tags, $1::text[] as echoed', [['x', 'y,z']])
        assert.deepEqual(res.rows[0], { tags: ['a', 'b c'], echoed: ['x', 'y,z'] })
      })
    })

    describe('transactions', () => {
      it('commits the statements of a transaction and resolves with its result', async (t) => {
        const db = await withItems(t)
        const result = await db.tx(async (tx) => {
          await tx.query('insert into items values ($1, $2)', [1, 'pen'])
          await tx.query('insert into items values ($1, $2)', [2, 'ink'])
          return 'done'
        })
        assert.equal(result, 'done')
        assert.equal(await count(db), 2)
      })

      it('rolls back when the callback throws, and rethrows the same error', async (t) => {
        const db = await withItems(t)
        const boom = new Error('business rule failed')
        await assert.rejects(db.tx(async (tx) => {
          await tx.query('insert into items values ($1, $2)', [1, 'pen'])
          throw boom
        }), (err) => err === boom)
        assert.equal(await count(db), 0)
      })

      it('rolls back when a statement fails, and stays usable afterwards', async (t) => {
        const db = await withItems(t)
        await assert.rejects(db.tx(async (tx) => {
          await tx.query('insert into items values ($1, $2)', [1, 'pen'])
          await tx.query('insert into items values ($1, $2)', [1, 'duplicate id'])
        }))
        assert.equal(await count(db), 0)
        await db.tx(tx => tx.query('insert into items values ($1, $2)', [2, 'ink']))
        assert.equal(await count(db), 1)
      })

      it('runs onCommit hooks after the commit, in order, where the committed rows are visible', async (t) => {
        const db = await withItems(t)
        const order: string[] = []
        let visible: Promise<number> | undefined
        await db.tx(async (tx) => {
          tx.onCommit(() => { order.push('first hook'); visible = count(db) })
          tx.onCommit(() => { order.push('second hook') })
          await tx.query('insert into items values ($1, $2)', [1, 'pen'])
          order.push('callback done')
        })
        assert.deepEqual(order, ['callback done', 'first hook', 'second hook'])
        assert.equal(await visible, 1)
      })

      it('does not run onCommit hooks when the transaction rolls back', async (t) => {
        const db = await withItems(t)
        let ran = false
        await assert.rejects(db.tx(async (tx) => {
          tx.onCommit(() => { ran = true })
          await tx.query('insert into items values ($1, $2)', [1, 'pen'])
          throw new Error('abort')
        }), /abort/)
        assert.equal(ran, false)
      })

      it('keeps a transaction committed when an onCommit hook throws', async (t) => {
        const db = await withItems(t)
        await db.tx(async (tx) => {
          tx.onCommit(() => { throw new Error('hook failed') })
          await tx.query('insert into items values ($1, $2)', [1, 'pen'])
        })
        assert.equal(await count(db), 1)
      })
    })

    describe('errors and schemas', () => {
      it('names the unique index a duplicate key violates', async (t) => {
        const db = await withItems(t)
        await db.query('insert into items values ($1, $2)', [1, 'pen'])
        const err = await db.query('insert into items values ($1, $2)', [2, 'pen']).then(() => undefined, (e: unknown) => e)
        assert.ok(err, 'the duplicate insert fails')
        assert.equal(uniqueViolation(err), 'items_name_key')
        const inTx = await db.tx(tx => tx.query('insert into items values ($1, $2)', [1, 'ink'])).then(() => undefined, (e: unknown) => e)
        assert.equal(uniqueViolation(inTx), 'items_pkey')
      })

      it('returns undefined from uniqueViolation for any other error', async (t) => {
        const db = await withItems(t)
        const notNull = await db.query('insert into items (id) values (1)').then(() => undefined, (e: unknown) => e)
        assert.ok(notNull)
        assert.equal(uniqueViolation(notNull), undefined)
        assert.equal(uniqueViolation(new Error('duplicate key value violates unique constraint "x"')), undefined)
        assert.equal(uniqueViolation(undefined), undefined)
      })

      it('keeps two schemas apart: the same table name holds different rows in each', async (t) => {
        const [a, b] = await Promise.all([withItems(t), withItems(t)])
        // Interleaved on purpose: on PGlite both share one session and switch search_path per statement.
        await Promise.all([
          a.query('insert into items values (1, \'only in a\')'),
          b.tx(async (tx) => {
            await tx.query('insert into items values (1, \'only in b\')')
            await tx.query('insert into items values (2, \'also in b\')')
          }),
          a.query('insert into items values (2, \'also in a\')')
        ])
        const names = async (db: Db) => (await db.query<{ name: string }>('select name from items order by id')).rows.map(r => r.name)
        assert.deepEqual(await names(a), ['only in a', 'also in a'])
        assert.deepEqual(await names(b), ['only in b', 'also in b'])
      })
    })

    describe('migrate', () => {
      it('applies NNNN_name.sql files in order and records each in schema_migrations', async (t) => {
        const db = await open(t)
        const dir = await migrationsDir(t, TWO_FILES)
        const applied = await migrate(db, [{ scope: 'contract', dir }])
        assert.deepEqual(applied, ['contract/0001_items.sql', 'contract/0002_stock.sql'])
        assert.deepEqual(await tablesIn(db), ['items', 'schema_migrations', 'stock'])
        const recorded = await db.query<{ id: string }>('select id from schema_migrations order by id')
        assert.deepEqual(recorded.rows.map(r => r.id), applied)
        assert.deepEqual((await db.query('select units from stock')).rows, [{ units: 12 }])
      })

      it('applies nothing the second time, and only a newly added file later', async (t) => {
        const db = await open(t)
        const dir = await migrationsDir(t, TWO_FILES)
        await migrate(db, [{ scope: 'contract', dir }])
        assert.deepEqual(await migrate(db, [{ scope: 'contract', dir }]), [])
        await writeFile(join(dir, '0003_colour.sql'), 'alter table items add column colour text')
        assert.deepEqual(await migrate(db, [{ scope: 'contract', dir }]), ['contract/0003_colour.sql'])
        assert.equal(await count(db), 1)
      })

      it('rolls back every file and records nothing when a later file fails', async (t) => {
        const db = await open(t)
        const dir = await migrationsDir(t, {
          '0001_items.sql': TWO_FILES['0001_items.sql'],
          '0002_broken.sql': 'create table broken (id int);\nselect * from no_such_table;'
        })
        await assert.rejects(migrate(db, [{ scope: 'contract', dir }]), /no_such_table/)
        assert.deepEqual(await tablesIn(db), [], 'neither items, broken nor schema_migrations remain')
      })

      it('applies each file exactly once when two instances migrate the same schema at once', async (t) => {
        const db = await open(t)
        const other = adapter.peer(db)
        t.after(() => other.close())
        const dir = await migrationsDir(t, TWO_FILES)
        const results = await Promise.all([migrate(db, [{ scope: 'contract', dir }]), migrate(other, [{ scope: 'contract', dir }])])
        assert.deepEqual(results.map(r => r.length).sort(), [0, 2], 'one instance applied both files, the other found nothing to do')
        assert.equal(await count(db), 1, 'the seed row of 0001 was inserted once')
        const recorded = await db.query<{ n: number }>('select count(*)::int as n from schema_migrations')
        assert.equal(recorded.rows[0]!.n, 2)
      })
    })
  })
}
