/**
 * One class per tuning heuristic (Dr. Elephant's thresholds, a Sparklens-style scaling estimate), each turning an
 * application's metrics into a finding with figures and advice; {@code StandardHeuristics} is the list every
 * report runs. Imports {@code analyze} and {@code analyze.rest}.
 */
package io.livykernel.analyze.heuristics;
