"""The Seq2seq lab's views."""
