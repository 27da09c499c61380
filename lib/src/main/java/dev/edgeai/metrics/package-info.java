/**
 * Summary statistics of latency samples ({@link dev.edgeai.metrics.Stats}: mean, standard deviation and
 * numpy-compatible percentiles), so figures match what attendees compute in Python.
 */
package dev.edgeai.metrics;
