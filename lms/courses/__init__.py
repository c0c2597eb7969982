"""Courses: content packs, the lesson reader, progress, and trainers' authoring."""
