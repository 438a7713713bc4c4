// Pedigree's scripts: conveniences on top of pages that work without them. The
// server serves the files of this folder as one script, /assets/app.js, in this
// order: the PEDIGREE_KINDS constant written from model::Kind
// (src/server/web/assets.rs: each kind's noun, as in IRIs, its folder, as in page and
// API paths, and whether search suggests it as you type), this file's helpers, then
// one file per concern (search.js, query.js, lineage.js), each its own scope.

const Pedigree = Object.freeze((function () {
  'use strict';

  function debounce(fn, ms) {
    let timer;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), ms);
    };
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const child of children) node.append(child);
    return node;
  }

  return { debounce, el };
})());
