// BERT WordPiece tokenizer for the MiniLM tokenizer.json (Hugging Face "tokenizers" format) served beside the model.
// Written here rather than pulled from a package: ~100 lines, no dependency, and it reproduces what lib's Java
// embedder feeds the same model (DJL's Rust tokenizers, then truncation to the json's max_length) — the browser
// test checks the resulting vectors against Java's.

const CONTROL = /\p{C}/u;
const SPACE = /\s|\p{Zs}/u;
const PUNCT = /\p{P}/u;
const MARK = /\p{Mn}/gu;

function isAsciiPunct(cp) {
  return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
}

function isCjk(cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
    || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
    || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

export class WordPiece {
  /** @param json the parsed tokenizer.json (BertNormalizer, BertPreTokenizer, WordPiece, [CLS] A [SEP]) */
  constructor(json) {
    if (json?.model?.type !== 'WordPiece') throw new Error('tokenizer.json is not a WordPiece tokenizer');
    this.vocab = new Map(Object.entries(json.model.vocab));
    this.prefix = json.model.continuing_subword_prefix ?? '##';
    this.maxChars = json.model.max_input_chars_per_word ?? 100;
    this.unk = this.id(json.model.unk_token ?? '[UNK]');
    const n = json.normalizer ?? {};
    this.lowercase = n.lowercase !== false;
    this.stripAccents = n.strip_accents ?? this.lowercase;   // HF: null means "follow lowercase"
    this.cleanText = n.clean_text !== false;
    this.chinese = n.handle_chinese_chars !== false;
    this.cls = this.id('[CLS]');
    this.sep = this.id('[SEP]');
    this.maxLength = json.truncation?.max_length ?? 512;   // 128 for this MiniLM, as lib's Java embedder applies it
  }

  id(token) {
    const v = this.vocab.get(token);
    if (v === undefined) throw new Error(`token ${token} missing from the vocabulary`);
    return v;
  }

  normalize(text) {
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0);
      if (this.cleanText) {
        if (cp === 0 || cp === 0xFFFD) continue;
        if (ch === '\t' || ch === '\n' || ch === '\r' || SPACE.test(ch)) { out += ' '; continue; }
        if (CONTROL.test(ch)) continue;
      }
      out += this.chinese && isCjk(cp) ? ` ${ch} ` : ch;
    }
    if (this.stripAccents) out = out.normalize('NFD').replace(MARK, '');
    if (this.lowercase) out = out.toLowerCase();
    return out;
  }

  /** Whitespace split, then every punctuation character on its own. */
  preTokenize(text) {
    const words = [];
    for (const chunk of text.split(/\s+/u)) {
      let cur = '';
      for (const ch of chunk) {
        if (isAsciiPunct(ch.codePointAt(0)) || PUNCT.test(ch)) {
          if (cur) words.push(cur);
          words.push(ch);
          cur = '';
        } else {
          cur += ch;
        }
      }
      if (cur) words.push(cur);
    }
    return words;
  }

  /** Greedy longest-match-first; a word with no full cover becomes [UNK]. */
  wordPiece(word) {
    const chars = Array.from(word);
    if (chars.length > this.maxChars) return [this.unk];
    const ids = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found;
      while (start < end) {
        const sub = (start > 0 ? this.prefix : '') + chars.slice(start, end).join('');
        found = this.vocab.get(sub);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return [this.unk];
      ids.push(found);
      start = end;
    }
    return ids;
  }

  /** [CLS] pieces… [SEP], truncated (right) to the tokenizer's max_length. */
  encode(text) {
    const ids = [];
    for (const w of this.preTokenize(this.normalize(text))) ids.push(...this.wordPiece(w));
    return [this.cls, ...ids.slice(0, this.maxLength - 2), this.sep];
  }
}
