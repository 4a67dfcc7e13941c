import { beforeAll, describe, expect, it } from 'vitest';
import { functionProperties, synthApp } from './fixtures.ts';

describe('the document reader and the setup function that waits for it', () => {
  let built: ReturnType<typeof synthApp>;

  beforeAll(() => {
    built = synthApp();
  });

  it.each([
    ['setup-api', () => built.service.api.setupFunction],
    ['units-api', () => built.service.api.unitsFunction],
  ])('lets %s wait for a whole read within API Gateway’s 30 s integration limit', (_, fn) => {
    const reader = functionProperties(built.serviceTemplate, built.service.api.documentReader);
    const setup = functionProperties(built.serviceTemplate, fn());

    expect(reader).toMatchObject({ MemorySize: 1024, Timeout: 25 });
    // The reader's own limit, a cold start and the answer fit before setup-api gives up…
    expect(setup.Timeout as number).toBeGreaterThanOrEqual((reader.Timeout as number) + 3);
    // …and setup-api answers before the gateway does (HTTP API: 30 s at most).
    expect(setup.Timeout as number).toBeLessThan(30);
  });
});
