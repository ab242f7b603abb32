import { createHash } from 'node:crypto'
import { deflateRawSync, inflateRawSync } from 'node:zlib'

import type Database from 'libsql'

/**
 * What runs share, stored once (migration 7). A chat's run k sends the k − 1
 * turns and answers before its own again; stored whole in every run, a chat
 * of n turns cost n² texts. Here:
 *
 * - `texts`: every long string (a message's content, an answer, reasoning,
 *   a schema) once, keyed by its hash; its body in `text_bodies`, deflated
 *   when that makes it smaller (bytes, else text), in parts of BODY_PART.
 *   The search index keeps no copy (see snippet.ts). A packed JSON document
 *   holds TEXT_REF + the text's id where the string was, so a run's answer,
 *   the same words sent back as the next run's assistant turn and the prompt
 *   document's copy are one text.
 * - `message_nodes`: a message list as a chain, each node one packed message
 *   and its parent, keyed by the hash of both (as a commit is in git). Two
 *   runs that sent the same first k messages share those k nodes; a run
 *   keeps only the id of its last one.
 *
 * Both count their references (`refs`: runs, child nodes, packed documents);
 * triggers take a run's or a node's references back when it is deleted, and
 * sweep() removes what nothing refers to any more.
 */

/** Strings at least this long are stored once in `texts`; shorter ones cost less inline than a reference. */
export const TEXT_MIN = 48
/** Bytes (or characters) per row of text_bodies, and parts a text may have (its rows' keys: id × PARTS + part). */
const BODY_PART = 1000
const PARTS = 65_536
/** Marks a packed string: TEXT_REF + the text's id (U+E010, private use; a string that starts with it is always stored as a text, so it round-trips). */
export const TEXT_REF = '\uE010'
/** The same character as a SQL expression (its code point), for the triggers that read packed JSON. */
export const TEXT_REF_SQL = `char(${TEXT_REF.codePointAt(0)})`

/** The text ids a packed JSON document refers to (each once), as SQL over `doc`. */
export function packedRefsSql(doc: string): string {
  return `SELECT DISTINCT CAST(substr(j.value, 2) AS INTEGER) FROM json_tree(${doc}) j WHERE j.type = 'text' AND substr(j.value, 1, 1) = ${TEXT_REF_SQL}`
}

/** 128 bits of SHA-256 in hex (bound through unhex(): this libsql cannot bind a Buffer); collisions stay out of reach for any history a person can make. */
/**
 * A text as one SQL value (`idSql` its id; a statement per part costs more
 * than the parts): 'd' + the deflated bytes in hex, or 't' + the text; NULL
 * when there is no such text. decodeText() reads it.
 */
export function textSql(idSql: string): string {
  return `(SELECT CASE WHEN MAX(typeof(body) = 'blob') THEN 'd' ELSE 't' END ||
    group_concat(CASE WHEN typeof(body) = 'blob' THEN hex(body) ELSE body END, '' ORDER BY key)
    FROM text_bodies WHERE key >= (${idSql}) * ${PARTS} AND key < ((${idSql}) + 1) * ${PARTS})`
}

export function decodeText(value: string): string {
  return value.startsWith('d') ? inflateRawSync(Buffer.from(value.slice(1), 'hex')).toString('utf8') : value.slice(1)
}

function digest(...parts: string[]): string {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest('hex').slice(0, 32)
}

export class MessageStore {
  private readonly textByHash
  private readonly insertText
  private readonly insertPacked
  private readonly insertBody
  private readonly refText
  private readonly textBody
  private readonly nodeByHash
  private readonly insertNode
  private readonly refNode
  private readonly nodeRow
  private readonly deleteNodes
  private readonly deleteTexts

  constructor(private readonly db: Database.Database) {
    this.textByHash = db.prepare('SELECT id FROM texts WHERE hash = unhex(?)')
    this.insertText = db.prepare('INSERT INTO texts (hash, refs) VALUES (unhex(?), 0)')
    this.insertBody = db.prepare(`INSERT INTO text_bodies (key, body) VALUES (? * ${PARTS} + ?, ?)`)
    // This libsql cannot bind a Buffer: a deflated body goes in as hex.
    this.insertPacked = db.prepare(`INSERT INTO text_bodies (key, body) VALUES (? * ${PARTS} + ?, unhex(?))`)
    this.refText = db.prepare('UPDATE texts SET refs = refs + 1 WHERE id = ?')
    this.textBody = db.prepare(`SELECT ${textSql('?1')} AS body`)
    this.nodeByHash = db.prepare('SELECT id FROM message_nodes WHERE hash = unhex(?)')
    this.insertNode = db.prepare('INSERT INTO message_nodes (parent, hash, refs, body) VALUES (?, unhex(?), 0, ?)')
    this.refNode = db.prepare('UPDATE message_nodes SET refs = refs + 1 WHERE id = ?')
    this.nodeRow = db.prepare('SELECT parent, body FROM message_nodes WHERE id = ?')
    // Node deletions cascade to the parent (trigger message_nodes_release), one level per statement.
    this.deleteNodes = db.prepare('DELETE FROM message_nodes WHERE id IN (SELECT id FROM message_nodes WHERE refs <= 0 LIMIT 5000)')
    this.deleteTexts = db.prepare('DELETE FROM texts WHERE refs <= 0')
  }

  /** The id of `text`, stored if new; counts one more reference to it. */
  holdText(text: string): number {
    const id = this.textId(text)
    this.refText.run(id)
    return id
  }

  /** The id of `text`, stored if new, without a reference (the caller counts it). */
  private textId(text: string): number {
    const hash = digest(text)
    const found = (this.textByHash.get(hash) as { id: number } | undefined)?.id
    if (found !== undefined) return found
    const id = Number(this.insertText.run(hash).lastInsertRowid)
    const deflated = text.length >= TEXT_MIN ? deflateRawSync(text, { level: 9 }) : null
    if (deflated && deflated.length < Buffer.byteLength(text) * 0.9) {
      for (let part = 0; part * BODY_PART < deflated.length; part++)
        this.insertPacked.run(id, part, deflated.subarray(part * BODY_PART, (part + 1) * BODY_PART).toString('hex'))
    } else {
      // Plain parts by UTF-16 units (never between the two halves of a surrogate pair): a text of up to MAX_TEXT fits in PARTS parts.
      let part = 0
      for (let at = 0; at < text.length || part === 0; part++) {
        let end = Math.min(text.length, at + BODY_PART)
        if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end--
        this.insertBody.run(id, part, text.slice(at, end))
        at = end
      }
    }
    return id
  }

  /** The id of `text` if it is stored, without storing it. */
  findText(text: string): number | undefined {
    return (this.textByHash.get(digest(text)) as { id: number } | undefined)?.id
  }

  text(id: number): string {
    const row = this.textBody.get(id) as { body: string | null }
    if (row.body === null) throw new Error(`text ${id} is missing`)
    return decodeText(row.body)
  }

  /**
   * `value` as JSON with its long strings replaced by references to `texts`;
   * each text it refers to gets one more reference (once however often it
   * appears), which the owner of the document gives back when it goes.
   */
  pack(value: unknown): string {
    const held = new Set<number>()
    const json = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v !== 'string' || (v.length < TEXT_MIN && !v.startsWith(TEXT_REF))) return v
      const id = this.textId(v)
      held.add(id)
      return `${TEXT_REF}${id}`
    })
    for (const id of held) this.refText.run(id)
    return json
  }

  unpack<T>(json: string): T {
    return JSON.parse(json, (_key, v: unknown) => (typeof v === 'string' && v.startsWith(TEXT_REF) ? this.text(Number(v.slice(1))) : v)) as T
  }

  /**
   * Store a message list as a chain of nodes (sharing every node another list
   * already stored with the same messages before it) and hold its last node.
   * Returns the node ids, first to last (none for an empty list).
   */
  holdList(items: readonly unknown[]): number[] {
    const ids: number[] = []
    let parent: number | null = null
    let parentHash = ''
    for (const item of items) {
      const json = JSON.stringify(item)
      const hash = digest(parentHash, '\n', json)
      let id = (this.nodeByHash.get(hash) as { id: number } | undefined)?.id
      if (id === undefined) {
        id = Number(this.insertNode.run(parent, hash, this.pack(item)).lastInsertRowid)
        if (parent !== null) this.refNode.run(parent)
      }
      ids.push(id)
      parent = id
      parentHash = hash
    }
    if (parent !== null) this.refNode.run(parent)
    return ids
  }

  /** The message list ending at node `tip`, first to last (empty for null). */
  list<T>(tip: number | null): T[] {
    const out: T[] = []
    for (let id = tip; id !== null;) {
      const row = this.nodeRow.get(id) as { parent: number | null; body: string } | undefined
      if (!row) throw new Error(`message ${id} is missing`)
      out.push(this.unpack<T>(row.body))
      id = row.parent
    }
    return out.reverse()
  }

  /** Remove the nodes and texts nothing refers to any more (after runs were deleted or replaced). */
  sweep(): void {
    while (this.deleteNodes.run().changes > 0) {
      // Each round frees the parents of the nodes it deleted.
    }
    this.deleteTexts.run()
  }
}
