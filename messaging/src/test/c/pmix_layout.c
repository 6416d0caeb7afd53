/*
 * Prints the sizes, field offsets and constants of the PMIx structs that
 * io.javelin.messaging.bootstrap.pmix.PmixLayouts models, as the installed
 * headers define them. PmixLayoutTest compiles this with gcc and compares.
 *
 *   S <type> <sizeof>
 *   F <type> <field path> <offsetof> <sizeof>
 *   C <macro> <value>
 *   K <macro> <string>
 */
#include <stddef.h>
#include <stdio.h>
#include <pmix.h>

#define S(t) printf("S %s %zu\n", #t, sizeof(t))
#define F(t, f) printf("F %s %s %zu %zu\n", #t, #f, offsetof(t, f), sizeof(((t *)0)->f))
#define C(m) printf("C %s %lld\n", #m, (long long)(m))
#define Z(t) printf("C sizeof(%s) %zu\n", #t, sizeof(t))
#define K(m) printf("K %s %s\n", #m, m)

int main(void)
{
    S(pmix_proc_t);
    F(pmix_proc_t, nspace);
    F(pmix_proc_t, rank);

    S(pmix_byte_object_t);
    F(pmix_byte_object_t, bytes);
    F(pmix_byte_object_t, size);

    S(pmix_envar_t);
    F(pmix_envar_t, envar);
    F(pmix_envar_t, value);
    F(pmix_envar_t, separator);

    S(pmix_value_t);
    F(pmix_value_t, type);
    F(pmix_value_t, data);
    F(pmix_value_t, data.flag);
    F(pmix_value_t, data.integer);
    F(pmix_value_t, data.uint32);
    F(pmix_value_t, data.size);
    F(pmix_value_t, data.string);
    F(pmix_value_t, data.bo);
    F(pmix_value_t, data.bo.bytes);
    F(pmix_value_t, data.bo.size);
    F(pmix_value_t, data.envar);
    F(pmix_value_t, data.envar.envar);
    F(pmix_value_t, data.envar.value);
    F(pmix_value_t, data.envar.separator);

    S(pmix_info_t);
    F(pmix_info_t, key);
    F(pmix_info_t, flags);
    F(pmix_info_t, value);
    F(pmix_info_t, value.type);
    F(pmix_info_t, value.data);
    F(pmix_info_t, value.data.flag);
    F(pmix_info_t, value.data.integer);
    F(pmix_info_t, value.data.uint32);
    F(pmix_info_t, value.data.size);
    F(pmix_info_t, value.data.string);
    F(pmix_info_t, value.data.bo);
    F(pmix_info_t, value.data.bo.bytes);
    F(pmix_info_t, value.data.bo.size);
    F(pmix_info_t, value.data.envar);
    F(pmix_info_t, value.data.envar.envar);
    F(pmix_info_t, value.data.envar.value);
    F(pmix_info_t, value.data.envar.separator);

    C(PMIX_MAX_NSLEN);
    C(PMIX_MAX_KEYLEN);
    C(PMIX_RANK_WILDCARD);
    C(PMIX_BOOL);
    C(PMIX_STRING);
    C(PMIX_INT);
    C(PMIX_UINT32);
    C(PMIX_BYTE_OBJECT);
    C(PMIX_GLOBAL);
    C(PMIX_SUCCESS);
    C(PMIX_ERR_TIMEOUT);
    C(PMIX_ERR_UNREACH);
    C(PMIX_ERR_NOT_FOUND);
    C(PMIX_ERR_PARTIAL_SUCCESS);
    C(PMIX_ERR_LOST_CONNECTION);
    Z(pmix_data_type_t);
    Z(pmix_scope_t);
    Z(pmix_status_t);
    Z(pmix_rank_t);
    Z(bool);

    K(PMIX_JOB_SIZE);
    K(PMIX_LOCAL_SIZE);
    K(PMIX_LOCAL_PEERS);
    K(PMIX_TIMEOUT);
    K(PMIX_COLLECT_DATA);
    K(PMIX_OPTIONAL);
    return 0;
}
