/**
 * Charts from results files, offline: plotly figures built with tablesaw-jsplot ({@link dev.edgeai.charts.Charts}),
 * self-contained HTML reports ({@link dev.edgeai.charts.HtmlReport}) and regeneration of a whole results folder, with
 * PNG export through headless Chromium where it is installed ({@link dev.edgeai.charts.ChartRegenerator}).
 */
package dev.edgeai.charts;
