import type { RunRecordData } from '@shared/ipc/domains/history'

import { packedRefsSql } from '../services/history/message-store'
import { RunRows } from '../services/history/run-rows'
import { earlierText, turnText } from '../services/history/run-text'
import type { Migration } from './database'

/**
 * The app database's schema history. Append new migrations with the next
 * number; never edit one that has shipped.
 */
export const migrations: Migration[] = [
  {
    version: 1,
    name: 'ui state',
    up: (db) => {
      // Small JSON documents the renderer asks main to keep (drafts, layouts).
      db.exec(`CREATE TABLE ui_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`)
    },
  },
  {
    version: 2,
    name: 'run history and prompt versions',
    up: (db) => {
      // rid = startedAt (ms) × 1024 + n, so one integer orders runs by start
      // time: keyset paging, date ranges and the FTS index (which returns
      // rowids in order) all use it without sorting. Small columns come first
      // so list queries never read a long prompt's overflow pages.
      db.exec(`CREATE TABLE runs (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        started_at INTEGER NOT NULL,
        saved_at INTEGER NOT NULL,
        source TEXT NOT NULL,
        group_id TEXT,
        model TEXT NOT NULL,
        status TEXT NOT NULL,
        is_error INTEGER NOT NULL,
        error_code TEXT,
        ttft_ms REAL,
        decode_tps REAL,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        cost_usd REAL,
        prompt_preview TEXT NOT NULL,
        output_preview TEXT NOT NULL,
        prompt_text TEXT NOT NULL,
        output_text TEXT NOT NULL,
        data TEXT NOT NULL
      )`)
      db.exec(`CREATE INDEX runs_by_model ON runs (model)`)
      db.exec(`CREATE INDEX runs_by_source ON runs (source)`)
      db.exec(`CREATE INDEX runs_errors ON runs (rid) WHERE is_error = 1`)
      db.exec(`CREATE INDEX runs_errors_by_model ON runs (model) WHERE is_error = 1`)
      db.exec(`CREATE INDEX runs_by_group ON runs (group_id) WHERE group_id IS NOT NULL`)
      db.exec(`CREATE VIRTUAL TABLE runs_fts USING fts5(
        prompt_text, output_text,
        content = 'runs', content_rowid = 'rid',
        tokenize = 'unicode61 remove_diacritics 2'
      )`)
      db.exec(`CREATE TRIGGER runs_fts_insert AFTER INSERT ON runs BEGIN
        INSERT INTO runs_fts (rowid, prompt_text, output_text) VALUES (new.rid, new.prompt_text, new.output_text);
      END`)
      db.exec(`CREATE TRIGGER runs_fts_delete AFTER DELETE ON runs BEGIN
        INSERT INTO runs_fts (runs_fts, rowid, prompt_text, output_text) VALUES ('delete', old.rid, old.prompt_text, old.output_text);
      END`)
      db.exec(`CREATE TRIGGER runs_fts_update AFTER UPDATE OF prompt_text, output_text ON runs BEGIN
        INSERT INTO runs_fts (runs_fts, rowid, prompt_text, output_text) VALUES ('delete', old.rid, old.prompt_text, old.output_text);
        INSERT INTO runs_fts (rowid, prompt_text, output_text) VALUES (new.rid, new.prompt_text, new.output_text);
      END`)
      db.exec(`CREATE TABLE prompt_versions (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        note TEXT,
        created_at INTEGER NOT NULL,
        model TEXT NOT NULL,
        message_count INTEGER NOT NULL,
        data TEXT NOT NULL,
        UNIQUE (name, version)
      )`)
      db.exec(`CREATE INDEX prompt_versions_by_time ON prompt_versions (created_at)`)
    },
  },
  {
    version: 3,
    name: 'compare votes',
    up: (db) => {
      // Blind votes between two models, as cast (A and B as shown); summaries fold the pair.
      db.exec(`CREATE TABLE compare_votes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        model_a TEXT NOT NULL,
        model_b TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('a', 'b', 'tie', 'both_bad')),
        group_id TEXT,
        prompt_preview TEXT,
        created_at TEXT NOT NULL
      )`)
      db.exec('CREATE INDEX compare_votes_by_pair ON compare_votes (model_a, model_b)')
    },
  },
  {
    version: 4,
    name: 'demo runs',
    up: (db) => {
      // Runs made on the built-in demo endpoint (made-up figures), by run id. A
      // side table rather than a column: ADD COLUMN would put it after the
      // long `data` column, and list queries would then read every overflow page.
      db.exec('CREATE TABLE demo_runs (id TEXT PRIMARY KEY) WITHOUT ROWID')
      db.exec(`CREATE TRIGGER runs_demo_delete AFTER DELETE ON runs BEGIN
        DELETE FROM demo_runs WHERE id = old.id;
      END`)
    },
  },
  {
    version: 5,
    name: 'run endpoints',
    up: (db) => {
      // The endpoint that answered each run (shared/endpoint.ts: cerebras, demo,
      // fake, replay, custom) and the base URL's host. A side table for the
      // same reason as demo_runs. Runs saved before this have no row ("not
      // recorded"), except demo runs: demo_runs already says the demo answered
      // them (its host, a random loopback port, was not kept).
      db.exec('CREATE TABLE run_endpoints (id TEXT PRIMARY KEY, kind TEXT NOT NULL, host TEXT NOT NULL) WITHOUT ROWID')
      db.exec(`CREATE TRIGGER runs_endpoint_delete AFTER DELETE ON runs BEGIN
        DELETE FROM run_endpoints WHERE id = old.id;
      END`)
      db.exec(`INSERT INTO run_endpoints (id, kind, host) SELECT d.id, 'demo', '' FROM demo_runs d JOIN runs r ON r.id = d.id`)
    },
  },
  {
    version: 6,
    name: 'search a run by its own turn',
    up: (db) => {
      // A search finds a run by what it asked (its own turn) and its answer;
      // the chat's earlier turns, which every later run of the chat sends
      // again, are a column of their own that a search includes only when
      // asked. prompt_text (the whole request) gives way to turn_text and
      // earlier_text, and the FTS index is rebuilt over the three columns.
      db.exec('DROP TRIGGER runs_fts_insert')
      db.exec('DROP TRIGGER runs_fts_delete')
      db.exec('DROP TRIGGER runs_fts_update')
      db.exec('DROP TABLE runs_fts')
      db.exec(`ALTER TABLE runs ADD COLUMN turn_text TEXT NOT NULL DEFAULT ''`)
      db.exec(`ALTER TABLE runs ADD COLUMN earlier_text TEXT NOT NULL DEFAULT ''`)
      const update = db.prepare('UPDATE runs SET turn_text = ?, earlier_text = ? WHERE rid = ?')
      for (const row of db.prepare('SELECT rid, data FROM runs').iterate() as Iterable<{ rid: number; data: string }>) {
        const run = JSON.parse(row.data) as RunRecordData
        update.run(turnText(run), earlierText(run), row.rid)
      }
      db.exec('ALTER TABLE runs DROP COLUMN prompt_text')
      db.exec(`CREATE VIRTUAL TABLE runs_fts USING fts5(
        turn_text, output_text, earlier_text,
        content = 'runs', content_rowid = 'rid',
        tokenize = 'unicode61 remove_diacritics 2'
      )`)
      db.exec(`CREATE TRIGGER runs_fts_insert AFTER INSERT ON runs BEGIN
        INSERT INTO runs_fts (rowid, turn_text, output_text, earlier_text) VALUES (new.rid, new.turn_text, new.output_text, new.earlier_text);
      END`)
      db.exec(`CREATE TRIGGER runs_fts_delete AFTER DELETE ON runs BEGIN
        INSERT INTO runs_fts (runs_fts, rowid, turn_text, output_text, earlier_text) VALUES ('delete', old.rid, old.turn_text, old.output_text, old.earlier_text);
      END`)
      db.exec(`CREATE TRIGGER runs_fts_update AFTER UPDATE OF turn_text, output_text, earlier_text ON runs BEGIN
        INSERT INTO runs_fts (runs_fts, rowid, turn_text, output_text, earlier_text) VALUES ('delete', old.rid, old.turn_text, old.output_text, old.earlier_text);
        INSERT INTO runs_fts (rowid, turn_text, output_text, earlier_text) VALUES (new.rid, new.turn_text, new.output_text, new.earlier_text);
      END`)
      db.exec(`INSERT INTO runs_fts (runs_fts) VALUES ('rebuild')`)
    },
  },
  {
    version: 7,
    name: 'store each message once',
    up: (db) => {
      // Every run kept the whole chat it sent (request and prompt document)
      // and indexed its earlier turns again: a chat of n turns cost n² texts.
      // Now texts are stored once by hash, message lists are chains of shared
      // nodes, and a run keeps its own turn, its answer and its figures (see
      // services/history/message-store.ts and run-rows.ts). The runs are
      // rewritten in place, oldest first, so each finds the run it continues.
      db.exec('DROP TRIGGER runs_fts_insert')
      db.exec('DROP TRIGGER runs_fts_delete')
      db.exec('DROP TRIGGER runs_fts_update')
      db.exec('DROP TRIGGER runs_demo_delete')
      db.exec('DROP TRIGGER runs_endpoint_delete')
      db.exec('DROP TABLE runs_fts')
      for (const index of ['runs_by_model', 'runs_by_source', 'runs_errors', 'runs_errors_by_model', 'runs_by_group']) db.exec(`DROP INDEX ${index}`)
      db.exec('ALTER TABLE runs RENAME TO runs_v6')

      // The body apart from the reference count: written once, never updated, its pages stay full.
      db.exec(`CREATE TABLE texts (
        id INTEGER PRIMARY KEY,
        hash BLOB NOT NULL UNIQUE,
        refs INTEGER NOT NULL
      )`)
      // In parts of at most 1,000 bytes (key = text id × 65,536 + part): rows of half a page or so
      // would leave a third of each page empty.
      db.exec('CREATE TABLE text_bodies (key INTEGER PRIMARY KEY, body NOT NULL)')
      db.exec(`CREATE TRIGGER texts_delete AFTER DELETE ON texts BEGIN
        DELETE FROM text_bodies WHERE key >= old.id * 65536 AND key < (old.id + 1) * 65536;
      END`)
      db.exec('CREATE INDEX texts_unreferenced ON texts (id) WHERE refs <= 0')
      db.exec(`CREATE TABLE message_nodes (
        id INTEGER PRIMARY KEY,
        parent INTEGER,
        hash BLOB NOT NULL UNIQUE,
        refs INTEGER NOT NULL,
        body TEXT NOT NULL
      )`)
      db.exec('CREATE INDEX message_nodes_unreferenced ON message_nodes (id) WHERE refs <= 0')
      // A deleted node gives back its parent and the texts it refers to.
      db.exec(`CREATE TRIGGER message_nodes_release AFTER DELETE ON message_nodes BEGIN
        UPDATE message_nodes SET refs = refs - 1 WHERE id = old.parent;
        UPDATE texts SET refs = refs - 1 WHERE id IN (${packedRefsSql('old.body')});
      END`)

      db.exec(`CREATE TABLE runs (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        started_at INTEGER NOT NULL,
        saved_at INTEGER NOT NULL,
        source TEXT NOT NULL,
        group_id TEXT,
        model TEXT NOT NULL,
        status TEXT NOT NULL,
        is_error INTEGER NOT NULL,
        error_code TEXT,
        ttft_ms REAL,
        decode_tps REAL,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        cost_usd REAL,
        prompt_preview TEXT NOT NULL,
        output_preview TEXT NOT NULL,
        turn_tid INTEGER NOT NULL,
        output_tid INTEGER NOT NULL,
        earlier_tid INTEGER,
        parent_rid INTEGER,
        request_tip INTEGER,
        prompt_tip INTEGER,
        seq INTEGER NOT NULL UNIQUE,
        data TEXT NOT NULL
      )`)
      db.exec(`CREATE INDEX runs_by_model ON runs (model)`)
      db.exec(`CREATE INDEX runs_by_source ON runs (source)`)
      db.exec(`CREATE INDEX runs_errors ON runs (rid) WHERE is_error = 1`)
      db.exec(`CREATE INDEX runs_errors_by_model ON runs (model) WHERE is_error = 1`)
      db.exec(`CREATE INDEX runs_by_group ON runs (group_id) WHERE group_id IS NOT NULL`)
      db.exec(`CREATE INDEX runs_by_parent ON runs (parent_rid) WHERE parent_rid IS NOT NULL`)
      db.exec(`CREATE INDEX runs_by_request ON runs (request_tip) WHERE request_tip IS NOT NULL`)
      db.exec(`CREATE TRIGGER runs_demo_delete AFTER DELETE ON runs BEGIN
        DELETE FROM demo_runs WHERE id = old.id;
      END`)
      db.exec(`CREATE TRIGGER runs_endpoint_delete AFTER DELETE ON runs BEGIN
        DELETE FROM run_endpoints WHERE id = old.id;
      END`)
      // A deleted run gives back its texts and messages; the runs that continued it are marked to get their earlier turns as their own text.
      db.exec(`CREATE TRIGGER runs_release AFTER DELETE ON runs BEGIN
        UPDATE texts SET refs = refs - 1 WHERE id = old.turn_tid;
        UPDATE texts SET refs = refs - 1 WHERE id = old.output_tid;
        UPDATE texts SET refs = refs - 1 WHERE id = old.earlier_tid;
        UPDATE texts SET refs = refs - 1 WHERE id IN (${packedRefsSql('old.data')});
        UPDATE message_nodes SET refs = refs - 1 WHERE id = old.request_tip;
        UPDATE message_nodes SET refs = refs - 1 WHERE id = old.prompt_tip;
        UPDATE runs SET parent_rid = -1 WHERE parent_rid = old.rid;
      END`)
      db.exec(`CREATE TRIGGER runs_earlier_release AFTER UPDATE OF earlier_tid ON runs BEGIN
        UPDATE texts SET refs = refs - 1 WHERE id = old.earlier_tid;
      END`)

      // The search index keeps no copy of the text (stored once, compressed, in texts): the store
      // adds each run's row, and finds the passages itself (services/history/snippet.ts). Its rowid
      // is the run's seq, in the order of rid but close together: the index stores rowid gaps, and
      // rid's (milliseconds × 1024) cost it a third of its size.
      db.exec(`CREATE VIRTUAL TABLE runs_fts USING fts5(
        turn_text, output_text, earlier_text,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2'
      )`)
      db.exec(`CREATE TRIGGER runs_fts_delete AFTER DELETE ON runs BEGIN
        DELETE FROM runs_fts WHERE rowid = old.seq;
      END`)

      const rows = new RunRows(db)
      const old = db.prepare('SELECT rid, saved_at, data FROM runs_v6 ORDER BY rid')
      for (const row of old.iterate() as Iterable<{ rid: number; saved_at: number; data: string }>) {
        rows.insert(row.rid, JSON.parse(row.data) as RunRecordData, row.saved_at)
      }
      db.exec('DROP TABLE runs_v6')
    },
  },
]
