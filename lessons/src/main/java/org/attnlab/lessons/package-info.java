/** Lesson content and the lesson model (a later issue). */
package org.attnlab.lessons;
