// Anchors Web Annotations in the page as a client would: Apache Annotator's strict
// TextQuoteSelector matcher over the text of document.body. window.edition_anchor(selectors)
// returns, for each selector, how many places it matches and the text of the first.
import { createTextQuoteSelectorMatcher } from "@apache-annotator/dom";

window.edition_anchor = async function (selectors) {
  const results = [];
  for (const selector of selectors) {
    const matches = [];
    for await (const range of createTextQuoteSelectorMatcher(selector)(document.body)) {
      matches.push(range.toString());
      if (matches.length > 1) { break; }
    }
    results.push({ count: matches.length, text: matches[0] ?? null });
  }
  return results;
};
