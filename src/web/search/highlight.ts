/**
 * A search snippet is escaped HTML in which only the hits are wrapped in <mark>…</mark>. It is never inserted as
 * HTML: split on the two tags and unescaped, it becomes plain text parts that React renders (and escapes) itself.
 */
export interface Part {
  text: string;
  hit: boolean;
}

const entities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };
const unescape = (s: string): string => s.replace(/&(lt|gt|quot|#39|amp);/g, (e) => entities[e] ?? e);

export function highlightParts(snippet: string): Part[] {
  return snippet
    .split(/(<mark>[\s\S]*?<\/mark>)/)
    .filter(Boolean)
    .map((piece) => {
      const hit = piece.startsWith('<mark>');
      return { text: unescape(hit ? piece.slice(6, -7) : piece), hit };
    });
}
