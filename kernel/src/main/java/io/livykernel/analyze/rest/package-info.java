/**
 * Plain records for the answers of Spark's monitoring REST API (applications, jobs, stages, tasks, executors,
 * environment). Imports nothing else of the project.
 */
package io.livykernel.analyze.rest;
