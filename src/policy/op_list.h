/*
 * op_list — the rule language's operators and punctuation, one row each (like jq's
 * opcode_list.h). ast.h makes the token kinds from it, lex.c its table of punctuation, parse.c
 * the comparisons, check.c the verbs its errors use, vm.c the code of each operator and explain.c
 * the symbol an explanation writes: an operator is added here and every switch over operators
 * follows. Private to src/policy/.
 *
 *   COMPARE(kind, text, shown, c_op)        a comparison; c_op is the C operator computing it
 *   ARITH(kind, text, shown, verb, builtin) arithmetic; builtin is the overflow-checking builtin
 *   PUNCT(kind, text)                       other punctuation
 *
 * `text` is what rule files write, `shown` what explanations write, `verb` what an error says
 * cannot be done ("cannot add money and a date"). The lexer tries the rows in this order, so a
 * text comes before every text it begins ("<=" before "<" and "=").
 */
#ifndef LZ_POLICY_OP_LIST_H
#define LZ_POLICY_OP_LIST_H

#define OP_LIST(COMPARE, ARITH, PUNCT)                                                                                             \
    COMPARE(TK_EQ, "==", "=", ==)                                                                                                  \
    COMPARE(TK_NE, "!=", "≠", !=)                                                                                                  \
    COMPARE(TK_LE, "<=", "≤", <=)                                                                                                  \
    COMPARE(TK_GE, ">=", "≥", >=)                                                                                                  \
    COMPARE(TK_LT, "<", "<", <)                                                                                                    \
    COMPARE(TK_GT, ">", ">", >)                                                                                                    \
    PUNCT(TK_ASSIGN, "=")                                                                                                          \
    PUNCT(TK_LPAREN, "(")                                                                                                          \
    PUNCT(TK_RPAREN, ")")                                                                                                          \
    PUNCT(TK_LBRACKET, "[")                                                                                                        \
    PUNCT(TK_RBRACKET, "]")                                                                                                        \
    PUNCT(TK_COMMA, ",")                                                                                                           \
    PUNCT(TK_COLON, ":")                                                                                                           \
    PUNCT(TK_DOT, ".")                                                                                                             \
    ARITH(TK_PLUS, "+", "+", "add", __builtin_add_overflow)                                                                        \
    ARITH(TK_MINUS, "-", "-", "subtract", __builtin_sub_overflow)                                                                  \
    ARITH(TK_STAR, "*", "×", "multiply", __builtin_mul_overflow)

/* For the columns a use of OP_LIST does not need. */
#define OP_NONE(...)

#endif
