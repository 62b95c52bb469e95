"""Search for Sunshine: one document model feeding two engines.

* :mod:`search.documents` turns the content tree into search documents;
* :mod:`search.text` is the shared analysis (jieba + user dictionary, fillers, synonyms, pinyin);
* :mod:`search.pagefind_index` writes the static bundle the browser queries (``/pagefind/``);
* :mod:`search.whoosh_index` writes and queries the server index (``/api/search``);
* :mod:`search.indexer` is what the build pipeline calls.
"""
