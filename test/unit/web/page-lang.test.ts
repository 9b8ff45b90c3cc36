import assert from 'node:assert/strict';
import { initialLang } from '../../../src/web/client/page-lang.js';

describe("the page's first language", () => {
  it("takes the learner's stored choice first", () => {
    assert.equal(initialLang('en', ['zh-CN'], 'zh'), 'en');
    assert.equal(initialLang('zh', ['en-US'], 'en'), 'zh');
  });

  it("then the browser's first language boxlab speaks", () => {
    assert.equal(initialLang(null, ['zh-CN', 'en'], 'en'), 'zh');
    assert.equal(initialLang(null, ['zh-TW'], 'en'), 'zh');
    assert.equal(initialLang(null, ['fr-FR', 'en-GB', 'zh'], 'zh'), 'en');
  });

  it("then the server's default", () => {
    assert.equal(initialLang(null, ['fr-FR'], 'zh'), 'zh');
    assert.equal(initialLang('garbage', [], 'en'), 'en');
  });
});
