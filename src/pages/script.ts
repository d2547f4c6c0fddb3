import { createHash } from 'node:crypto';

// The gateway's one script, served as a file (the pages' CSP allows no inline script). It only
// enhances: every page works without it. A copy button for the oob verifier, and a "go back" link
// that returns to the previous page when there is one (its href is the fallback).
export const script = `
'use strict';
(function () {
  // The words come from the page (data-copied, data-selected), drawn in the browser's language.
  function copied(status, text) { if (status) status.textContent = text; }
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    var status = document.getElementById(button.getAttribute('data-copy-status'));
    if (!source) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = source.textContent.trim();
      var selectIt = function () {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        copied(status, button.getAttribute('data-selected') || 'Selected: press Ctrl+C (or Cmd+C) to copy.');
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { copied(status, button.getAttribute('data-copied') || 'Copied.'); }, selectIt);
      } else {
        selectIt();
      }
    });
  });
  document.querySelectorAll('a[data-back]').forEach(function (link) {
    link.addEventListener('click', function (event) {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  });
})();
`.trim();

const version = createHash('sha256').update(script).digest('base64url').slice(0, 12);

export const scriptPath = '/assets/gateway.js';
export const scriptHref = `${scriptPath}?v=${version}`;
export const scriptEtag = `"${version}"`;
