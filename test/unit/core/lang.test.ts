import assert from 'node:assert/strict';
import { pickLang } from '../../../src/core/lang.js';

describe('pickLang', () => {
  it('prefers the flag, then BOXLAB_LANG, then the locale', () => {
    assert.equal(pickLang('zh', { BOXLAB_LANG: 'en' }), 'zh');
    assert.equal(pickLang(undefined, { BOXLAB_LANG: 'zh-CN', LANG: 'en_US.UTF-8' }), 'zh');
    assert.equal(pickLang(undefined, { LANG: 'zh_CN.UTF-8' }), 'zh');
    assert.equal(pickLang(undefined, { LANG: 'de_DE.UTF-8' }), 'en');
    assert.equal(pickLang(undefined, {}), 'en');
  });
});
