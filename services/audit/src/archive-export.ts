import type { Db } from '@app/kit/db'
import { createAuditStore } from './audit-store.pg.ts'
import { chainBreak, CHAIN_START } from './domain/chain.ts'
import type { ChainPosition } from './domain/chain.ts'

export interface ArchiveExport {
  /** The chain position the export starts after (the previous anchor, or the start). */
  after: ChainPosition
  /** The last exported entry: the anchor to record when the exported entries are pruned. */
  through: ChainPosition
  count: number
}

/**
 * Writes, as JSON lines in `seq` order, the longest prefix of the chain whose
 * entries all have a `time` before `before`, checking each link as it goes:
 * an export is only ever of a chain that verifies. Pruning is a separate,
 * deliberate step (`pruneStatements`).
 */
export async function exportArchive (db: Db, before: Date, write: (line: string) => Promise<void>, pageSize = 1000): Promise<ArchiveExport> {
  const store = createAuditStore(db)
  const after = await store.anchor() ?? CHAIN_START
  const { rows: [cut] } = await db.query<{ seq: string | null }>(
    'select coalesce((select min(seq) - 1 from audit_events where time >= $1), (select max(seq) from audit_events)) as seq', [before])
  const last = cut?.seq == null ? after.seq : Number(cut.seq)
  let position = after
  let count = 0
  while (position.seq < last) {
    const page = await store.entriesAfter(position.seq, Math.min(pageSize, last - position.seq))
    if (page.length === 0) break
    for (const entry of page) {
      const broken = chainBreak(position, entry)
      if (broken) throw new Error(`the chain breaks at seq ${entry.seq} (${broken}): nothing past seq ${position.seq} can be archived`)
      await write(JSON.stringify(entry) + '\n')
      position = { seq: entry.seq, hash: entry.hash }
      count++
    }
  }
  return { after, through: position, count }
}

/** The documented prune (services/audit/README.md), for the entries an export wrote; run it as the tables' owner. */
export function pruneStatements (schema: string, through: ChainPosition): string {
  const t = (name: string) => `"${schema}".${name}`
  return [
    'begin;',
    `alter table ${t('audit_events')} disable trigger audit_events_append_only;`,
    `insert into ${t('audit_archive_anchors')} (through_seq, last_hash) values (${through.seq}, '${through.hash}');`,
    `delete from ${t('audit_events')} where seq <= ${through.seq};`,
    `alter table ${t('audit_events')} enable trigger audit_events_append_only;`,
    'commit;'
  ].join('\n')
}
