// An ExportFormat ION export read by an independent Ion reader, the npm
// package ion-js: every data line is `$ion_1_0 {Item:{...}}`, and each
// DynamoDB type comes out as the Developer Guide maps it (S -> string,
// N -> decimal, B -> blob, BOOL -> bool, NULL -> null, SS/NS/BS -> lists
// annotated $dynamodb_SS/NS/BS, L -> list, M -> struct), every value exact.
// Own server with --export-root (skipped with DDB_ENDPOINT).

import {DescribeExportCommand, ExportTableToPointInTimeCommand, PutItemCommand, UpdateContinuousBackupsCommand} from '@aws-sdk/client-dynamodb';
import ionPkg from 'ion-js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import zlib from 'node:zlib';

import {EXTERNAL_SKIP, keys, useServer} from './lib/harness.mjs';

const {loadAll, IonTypes} = ionPkg;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ddb-ion-export-'));

// A decimal's exact value as DynamoDB's canonical number text.
function canonical(dec) {
  const c = dec.getCoefficient();
  const e = dec.getExponent();
  const neg = c < 0n || dec.isNegative();
  let digits = (c < 0n ? -c : c).toString();
  let text;
  if (e >= 0) {
    text = digits + '0'.repeat(e);
  } else {
    const scale = -e;
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    text = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
    text = text.replace(/0+$/, '').replace(/\.$/, '');
  }
  text = text.replace(/^0+(?=\d)/, '');
  if (text === '0') return '0';
  return (neg ? '-' : '') + text;
}

function typeOf(v) {
  return v.getType().name;
}

describe('ION exports', {skip: EXTERNAL_SKIP}, () => {
  const ctx = useServer({before, after, args: ['--in-memory', '--export-root', root]});
  after(() => fs.rmSync(root, {recursive: true, force: true}));

  test('ion-js reads every type of an ION export exactly', async () => {
    const name = await ctx.createTable({...keys('pk', 'S')});
    await ctx.ddb.send(new UpdateContinuousBackupsCommand({
      TableName: name,
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true},
    }));
    const item = {
      pk: {S: 'a'},
      s: {S: 'é "q" \\ \n\t\u0001 😀'},
      empty: {S: ''},
      n: {N: '600'},
      n2: {N: '-0.00123'},
      n3: {N: '103'},
      n4: {N: '99999999999999999999999999999999999999'},
      n5: {N: '1E-130'},
      b: {B: new Uint8Array([0, 1, 255])},
      ss: {SS: ['x', 'y']},
      ns: {NS: ['1', '2.5']},
      bs: {BS: [new Uint8Array([1]), new Uint8Array([2, 3])]},
      m: {M: {k: {S: 'v'}, 'a b': {N: '7'}, nested: {M: {deep: {BOOL: false}}}}},
      l: {L: [{S: 'x'}, {N: '3'}, {NULL: true}, {L: []}, {M: {}}]},
      nul: {NULL: true},
      t: {BOOL: true},
      f: {BOOL: false},
      'odd name': {S: 'quoted'},
      null: {S: 'keyword'},
    };
    await ctx.ddb.send(new PutItemCommand({TableName: name, Item: item}));
    const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;
    const started = await ctx.ddb.send(new ExportTableToPointInTimeCommand(
        {TableArn: arn, S3Bucket: 'bk', S3Prefix: 'js', ExportFormat: 'ION'}));
    let d = started.ExportDescription;
    for (let i = 0; i < 300 && d.ExportStatus === 'IN_PROGRESS'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      d = (await ctx.ddb.send(new DescribeExportCommand({ExportArn: d.ExportArn}))).ExportDescription;
    }
    assert.equal(d.ExportStatus, 'COMPLETED');
    assert.equal(d.ExportFormat, 'ION');
    assert.equal(d.ItemCount, 1);

    const bucket = path.join(root, 'bk');
    const summary = JSON.parse(fs.readFileSync(path.join(bucket, d.ExportManifest), 'utf8'));
    assert.equal(summary.outputFormat, 'ION');
    const lines = [];
    for (const entry of fs.readFileSync(path.join(bucket, summary.manifestFilesS3Key), 'utf8')
             .split('\n')
             .filter(Boolean)
             .map((l) => JSON.parse(l))) {
      assert.match(entry.dataFileS3Key, /\/data\/[a-z0-9]{26}\.ion\.gz$/);
      const text = zlib.gunzipSync(fs.readFileSync(path.join(bucket, entry.dataFileS3Key))).toString('utf8');
      lines.push(...text.split('\n').filter(Boolean));
    }
    assert.equal(lines.length, 1);
    assert.ok(lines[0].startsWith('$ion_1_0 {Item:{'), lines[0]);
    const values = loadAll(lines[0]);
    assert.equal(values.length, 1);
    assert.equal(typeOf(values[0]), 'struct');
    assert.deepEqual(values[0].fieldNames(), ['Item']);
    const it = values[0].get('Item');
    assert.equal(typeOf(it), 'struct');
    assert.deepEqual([...it.fieldNames()].sort(), Object.keys(item).sort());

    const str = (v, expected) => {
      assert.equal(typeOf(v), 'string');
      assert.deepEqual(v.getAnnotations(), []);
      assert.equal(v.stringValue(), expected);
    };
    const dec = (v, expected) => {
      assert.equal(typeOf(v), 'decimal');
      assert.equal(canonical(v.decimalValue()), expected);
    };
    const blob = (v, expected) => {
      assert.equal(typeOf(v), 'blob');
      assert.deepEqual([...v.uInt8ArrayValue()], expected);
    };
    str(it.get('pk'), 'a');
    str(it.get('s'), item.s.S);
    str(it.get('empty'), '');
    str(it.get('odd name'), 'quoted');
    str(it.get('null'), 'keyword');
    dec(it.get('n'), '600');
    dec(it.get('n2'), '-0.00123');
    dec(it.get('n3'), '103');
    dec(it.get('n4'), '99999999999999999999999999999999999999');
    dec(it.get('n5'), '0.' + '0'.repeat(129) + '1');
    blob(it.get('b'), [0, 1, 255]);
    const set = (v, annotation) => {
      assert.equal(typeOf(v), 'list');
      assert.deepEqual(v.getAnnotations(), [annotation]);
      return v.elements();
    };
    const ss = set(it.get('ss'), '$dynamodb_SS');
    assert.equal(ss.length, 2);
    ss.forEach((e, i) => str(e, ['x', 'y'][i]));
    const ns = set(it.get('ns'), '$dynamodb_NS');
    assert.equal(ns.length, 2);
    ns.forEach((e, i) => dec(e, ['1', '2.5'][i]));
    const bs = set(it.get('bs'), '$dynamodb_BS');
    assert.equal(bs.length, 2);
    blob(bs[0], [1]);
    blob(bs[1], [2, 3]);
    const m = it.get('m');
    assert.equal(typeOf(m), 'struct');
    assert.deepEqual([...m.fieldNames()].sort(), ['a b', 'k', 'nested']);
    str(m.get('k'), 'v');
    dec(m.get('a b'), '7');
    assert.equal(typeOf(m.get('nested', 'deep')), 'bool');
    assert.equal(m.get('nested', 'deep').booleanValue(), false);
    const l = it.get('l');
    assert.equal(typeOf(l), 'list');
    assert.deepEqual(l.getAnnotations(), []);
    const le = l.elements();
    assert.equal(le.length, 5);
    str(le[0], 'x');
    dec(le[1], '3');
    assert.equal(typeOf(le[2]), 'null');
    assert.equal(typeOf(le[3]), 'list');
    assert.equal(le[3].elements().length, 0);
    assert.equal(typeOf(le[4]), 'struct');
    assert.equal(le[4].fieldNames().length, 0);
    assert.equal(typeOf(it.get('nul')), 'null');
    assert.ok(it.get('nul').isNull());
    assert.equal(typeOf(it.get('t')), 'bool');
    assert.equal(it.get('t').booleanValue(), true);
    assert.equal(it.get('f').booleanValue(), false);
  });
});
