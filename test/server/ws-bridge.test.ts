import { describe, expect, it } from 'vitest';
import { openStudio, type StudioDoor } from '../../src/host/dispatcher';
import type { StudioBackend } from '../../src/host/studio-backend';
import { UNKNOWN_ID, handleClientMessage as handle } from '../../src/server/ws-bridge';
import { createFakeBackend, FAKE_INFO } from './fake-backend';

/** The bridge over the shared dispatcher (no folder policy: these tests are about messages). */
const handleClientMessage = (text: string, backend: StudioBackend) =>
  handle(text, openStudio(backend, null) satisfies StudioDoor);

const message = (value: unknown) => JSON.stringify(value);

describe('WebSocket message handling', () => {
  it('answers a valid call with the backend value', async () => {
    const { backend, handlers } = createFakeBackend();
    const reply = await handleClientMessage(
      message({ id: 7, channel: 'studio:info', payload: null }),
      backend,
    );
    expect(reply).toEqual({ type: 'response', id: 7, ok: true, value: FAKE_INFO });
    expect(handlers.getInfo).toHaveBeenCalledWith(undefined);
  });

  it('hands the backend the parsed payload, defaults filled in', async () => {
    const { backend, handlers } = createFakeBackend();
    handlers.startTraining.mockRejectedValueOnce(new Error('stub'));
    await handleClientMessage(
      message({ id: 1, channel: 'training:start', payload: { epochs: 2, trainLimit: 3000 } }),
      backend,
    );
    expect(handlers.startTraining).toHaveBeenCalledTimes(1);
    expect(handlers.startTraining.mock.calls[0]?.[0]).toMatchObject({
      epochs: 2,
      trainLimit: 3000,
      batchSize: 128,
      model: 'lenet5',
    });
  });

  it('refuses text that is not JSON, answering id -1', async () => {
    const { backend } = createFakeBackend();
    expect(await handleClientMessage('{nope', backend)).toEqual({
      type: 'response',
      id: UNKNOWN_ID,
      ok: false,
      error: 'message is not valid JSON',
    });
  });

  it('refuses a malformed envelope, keeping its id when it has one', async () => {
    const { backend, handlers } = createFakeBackend();
    const extra = await handleClientMessage(
      message({ id: 3, channel: 'studio:info', payload: null, admin: true }),
      backend,
    );
    expect(extra).toMatchObject({
      id: 3,
      ok: false,
      error: expect.stringMatching(/^invalid message/),
    });
    const noId = await handleClientMessage(
      message({ channel: 'studio:info', payload: null }),
      backend,
    );
    expect(noId).toMatchObject({ id: UNKNOWN_ID, ok: false });
    const array = await handleClientMessage(message([1, 2]), backend);
    expect(array).toMatchObject({ id: UNKNOWN_ID, ok: false });
    expect(handlers.getInfo).not.toHaveBeenCalled();
  });

  it('refuses unknown channels', async () => {
    const { backend } = createFakeBackend();
    const reply = await handleClientMessage(
      message({ id: 4, channel: 'fs:read', payload: '/etc/passwd' }),
      backend,
    );
    expect(reply).toEqual({
      type: 'response',
      id: 4,
      ok: false,
      error: 'unknown channel: fs:read',
    });
  });

  it('refuses a payload the verb does not accept, naming the field, before the backend sees it', async () => {
    const { backend, handlers } = createFakeBackend();
    const reply = await handleClientMessage(
      message({ id: 5, channel: 'training:start', payload: { batchSize: 0 } }),
      backend,
    );
    expect(reply).toMatchObject({
      id: 5,
      ok: false,
      error: expect.stringMatching(/invalid training:start request: batchSize/),
    });
    const unexpected = await handleClientMessage(
      message({ id: 6, channel: 'training:pause', payload: { now: true } }),
      backend,
    );
    expect(unexpected).toMatchObject({ id: 6, ok: false });
    expect(handlers.startTraining).not.toHaveBeenCalled();
    expect(handlers.pauseTraining).not.toHaveBeenCalled();
  });

  it('reports a backend failure as an error response', async () => {
    const { backend } = createFakeBackend();
    const reply = await handleClientMessage(
      message({ id: 8, channel: 'training:start', payload: {} }),
      backend,
    );
    expect(reply).toEqual({
      type: 'response',
      id: 8,
      ok: false,
      error: 'a training run is already in progress',
    });
  });
});
