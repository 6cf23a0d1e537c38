import { describe, expect, it } from 'vitest';
import { api } from '../../src/protocol/schema/api.js';
import { array, bool, int16, int32, int64, string } from '../../src/protocol/schema/fields.js';
import { compareMessage } from './compare.js';
import { kafkaMessageDir, loadKafkaMessage } from './kafka-json.js';

// The checker must be able to fail: each deliberately wrong declaration below yields a disagreement.
const dir = kafkaMessageDir('4.1.2');
const kafka = { newer: loadKafkaMessage(dir, 'ApiVersionsResponse') };

function check(response: Parameters<typeof api>[0]['response'], flexible = '3+'): string[] {
  const decl = api({
    apiKey: 18,
    name: 'ApiVersions',
    validVersions: '0-4',
    flexibleVersions: flexible,
    request: [],
    response,
  });
  const out: string[] = [];
  compareMessage(decl, 'response', kafka, out);
  return out;
}

const keys = array('apiKeys', '0+', [int16('apiKey', '0+'), int16('minVersion', '0+'), int16('maxVersion', '0+')]);
const tail = [
  array('supportedFeatures', '3+', [string('name', '3+'), int16('minVersion', '3+'), int16('maxVersion', '3+')], {
    tag: 0,
    tagged: '3+',
  }),
  int64('finalizedFeaturesEpoch', '3+', { tag: 1, tagged: '3+', default: -1 }),
  array(
    'finalizedFeatures',
    '3+',
    [string('name', '3+'), int16('maxVersionLevel', '3+'), int16('minVersionLevel', '3+')],
    {
      tag: 2,
      tagged: '3+',
    },
  ),
  bool('zkMigrationReady', '3+', { tag: 3, tagged: '3+', default: false }),
] as const;

describe('compareMessage', () => {
  it('accepts the real declaration', () => {
    expect(check([int16('errorCode', '0+'), keys, int32('throttleTimeMs', '1+'), ...tail])).toEqual([]);
  });

  it('reports a field at the wrong versions', () => {
    expect(check([int16('errorCode', '0+'), keys, int32('throttleTimeMs', '2+'), ...tail]).join()).toMatch(
      /v1 <root>: fields/,
    );
  });

  it('reports a wrong type, nullability, tag, default and flexible range', () => {
    expect(check([int32('errorCode', '0+'), keys, int32('throttleTimeMs', '1+'), ...tail]).join()).toMatch(
      /errorCode: type int32/,
    );
    expect(
      check([int16('errorCode', '0+'), keys, int32('throttleTimeMs', '1+', { nullable: '1+' }), ...tail]).join(),
    ).toMatch(/nullable true/);
    expect(
      check([int16('errorCode', '0+'), keys, int32('throttleTimeMs', '1+', { default: 5 }), ...tail]).join(),
    ).toMatch(/default 5/);
    const wrongTag = [...tail.slice(0, 3), bool('zkMigrationReady', '3+', { tag: 4, tagged: '3+', default: false })];
    expect(check([int16('errorCode', '0+'), keys, int32('throttleTimeMs', '1+'), ...wrongTag]).join()).toMatch(/tag 4/);
    expect(check([int16('errorCode', '0+'), keys, int32('throttleTimeMs', '1+'), ...tail], '4+').join()).toMatch(
      /flexible false/,
    );
  });

  it('reports nested struct fields', () => {
    const badKeys = array('apiKeys', '0+', [
      int16('apiKey', '0+'),
      int16('maxVersion', '0+'),
      int16('minVersion', '0+'),
    ]);
    expect(check([int16('errorCode', '0+'), badKeys, int32('throttleTimeMs', '1+'), ...tail]).join()).toMatch(
      /apiKeys: fields \[apiKey,maxVersion,minVersion\]/,
    );
  });
});
