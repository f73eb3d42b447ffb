import { ParleyError } from '../errors.js';

/**
 * Camera and microphone, with the browser's DOMException names turned into reason codes the app
 * can show (MEDIA_DENIED: the user or a policy said no; MEDIA_UNAVAILABLE: no such device, or busy).
 */
export async function getLocalMedia(constraints: MediaStreamConstraints = { audio: true, video: true }): Promise<MediaStream> {
  const devices = globalThis.navigator?.mediaDevices;
  if (!devices?.getUserMedia) throw new ParleyError('MEDIA_UNAVAILABLE', 'getUserMedia is not available (a secure context is required)');
  try {
    return await devices.getUserMedia(constraints);
  } catch (cause) {
    const name = (cause as { name?: string }).name;
    if (name === 'NotAllowedError' || name === 'SecurityError') throw new ParleyError('MEDIA_DENIED', undefined, { cause });
    throw new ParleyError('MEDIA_UNAVAILABLE', undefined, { cause });
  }
}
