/**
 * What a workshop notebook loads in its first cell: {@link dev.edgeai.notebook.Workshop} finds the checkout, a
 * backend (the scripts' discovery and model choice) and saved results to fall back on when no server runs.
 */
package dev.edgeai.notebook;
