import assert from 'node:assert/strict';
import { renderStepMarkdown } from '../../../../src/web/server/step-markdown.js';

describe('renderStepMarkdown', () => {
  it('renders markdown: emphasis, inline code, lists', () => {
    const html = renderStepMarkdown('Run **this** with `ls`:\n\n- one\n- two');
    assert.match(html, /<strong>this<\/strong>/);
    assert.match(html, /<code>ls<\/code>/);
    assert.match(html, /<li>one<\/li>/);
  });

  it('turns ```sh run blocks into a run button carrying the code, escaped', () => {
    const html = renderStepMarkdown('```sh run\necho "<b>" > "$LAB_DIR/x" && ls\n```');
    assert.match(html, /<div class="snippet"><pre><code class="lang-sh">echo &quot;&lt;b&gt;&quot; &gt; &quot;\$LAB_DIR\/x&quot; &amp;&amp; ls<\/code><\/pre>/);
    assert.match(html, /<button type="button" class="run" data-code="echo &quot;&lt;b&gt;&quot; &gt; &quot;\$LAB_DIR\/x&quot; &amp;&amp; ls">/);
  });

  it('leaves other code blocks as plain code, without a button', () => {
    const html = renderStepMarkdown('```sh\nrm -rf /\n```');
    assert.doesNotMatch(html, /button/);
    assert.match(html, /<pre><code class="lang-sh">rm -rf \/<\/code><\/pre>/);
  });

  it('escapes raw HTML instead of passing it to the page', () => {
    const html = renderStepMarkdown('<script>alert(1)</script>\n\nhello <img src=x onerror=alert(1)>');
    assert.doesNotMatch(html, /<script|<img/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('keeps http links and drops javascript: links', () => {
    assert.match(renderStepMarkdown('[docs](https://docs.kernel.org/)'), /<a href="https:\/\/docs.kernel.org\/" target="_blank" rel="noopener noreferrer">docs<\/a>/);
    const bad = renderStepMarkdown('[click](javascript:alert(1))');
    assert.doesNotMatch(bad, /<a|javascript:/);
    assert.match(bad, /click/);
  });
});
