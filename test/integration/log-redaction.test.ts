/**
 * A local run's logs never contain a caller number or a bearer token: searches by caller, an upload with
 * the caller number, refusals and a bad token go through the stack, then every line of its log is read.
 * Needs the log of the stack global-setup started (`stack.log` beside the stack file), or CRS_STACK_LOG.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { api, tokenFor } from './support.js';

const CALLER = '+441632960555';
const logFile = () =>
  process.env.CRS_STACK_LOG ??
  join(
    dirname(process.env.CRS_STACK_FILE ?? join(process.env.LOCAL_DATA_DIR ?? '.local', 'stack.json')),
    'stack.log',
  );

describe('the local stack log', () => {
  it('holds no caller number and no bearer token after requests that carry them', async () => {
    // Arrange
    const token = await tokenFor('revenues-listener');

    // Act
    await api('revenues-listener').get(
      `/recordings?serviceArea=revenues&caller=${encodeURIComponent(CALLER)}`,
    );
    await api('revenues-listener').get(`/recordings?serviceArea=revenues&caller=${CALLER}`);
    await api('housing-listener').get(
      `/recordings?serviceArea=revenues&caller=${encodeURIComponent(CALLER)}`,
    );
    await api('telephony').post('/uploads', { callId: 'redaction-1', counterparty: CALLER });
    await api({ token: `${token}x` }).get('/recordings');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const log = readFileSync(logFile(), 'utf8');

    // Assert
    expect(log).toMatch(/GET \/recordings\?serviceArea=…&caller=…/);
    expect(log).not.toContain(CALLER.slice(1));
    expect(log).not.toContain(token.split('.')[0]);
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    const refused = log
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('request refused'))
      .map((line) => JSON.parse(line));
    expect(refused.length).toBeGreaterThan(0);
    for (const line of refused)
      expect(line).toEqual(
        expect.objectContaining({
          correlationId: expect.any(String),
          requestId: expect.any(String),
          coldStart: expect.any(Boolean),
        }),
      );
  }, 120_000);
});
