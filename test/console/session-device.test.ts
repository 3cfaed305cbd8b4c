import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { describeDevice, deviceKind } from '../../apps/console/src/account/sessions/device.ts'

describe('describeDevice', () => {
  it('names the browser and system of common User-Agents', () => {
    assert.deepEqual(describeDevice('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36'), { browser: 'Chrome', system: 'Linux' })
    assert.deepEqual(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0'), { browser: 'Edge', system: 'Windows' })
    assert.deepEqual(describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1'), { browser: 'Safari', system: 'iOS' })
    assert.deepEqual(describeDevice('Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:121.0) Gecko/20100101 Firefox/121.0'), { browser: 'Firefox', system: 'macOS' })
    assert.deepEqual(describeDevice('curl/8.5.0'), { browser: 'curl' })
    assert.deepEqual(describeDevice('node'), { browser: 'Node.js' })
  })

  it('says nothing it does not know', () => {
    assert.deepEqual(describeDevice(null), {})
    assert.deepEqual(describeDevice('SomethingElse/1.0'), {})
  })

  it('draws a phone for a mobile system and a terminal for command-line clients', () => {
    assert.equal(deviceKind('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36'), 'phone')
    assert.equal(deviceKind('curl/8.5.0'), 'terminal')
    assert.equal(deviceKind('Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/121.0'), 'computer')
    assert.equal(deviceKind(null), 'computer')
  })
})
